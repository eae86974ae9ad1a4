// The entry page, keyboard first: Enter moves to the same column of the next row, as in a spreadsheet
// (leaving the cell saves it); "Chữ lớn" switches to large type and remembers it in this browser.
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !input.matches || !input.matches("#entry input[type=text], #plans input[type=text]")) return;
  event.preventDefault();
  const column = ["cell-note", "cell-cause"].map((name) => "." + name).find((name) => input.matches(name)) || ".cell-value";
  const rows = Array.from(input.closest("tbody").querySelectorAll("tr"));
  const index = rows.indexOf(input.closest("tr"));
  const next = rows.slice(index + 1).map((row) => row.querySelector(column)).find(Boolean);
  if (next) { next.focus(); next.select(); } else { input.blur(); }
});
const largeType = document.getElementById("large-type");
if (largeType) {
  const apply = (on) => { document.body.classList.toggle("large-type", on); largeType.setAttribute("aria-pressed", String(on)); };
  apply(localStorage.getItem("nghiquyet-large-type") === "1");
  largeType.addEventListener("click", () => {
    const on = !document.body.classList.contains("large-type");
    localStorage.setItem("nghiquyet-large-type", on ? "1" : "0");
    apply(on);
  });
}
