"""nghiquyet review rules --year Y | ceiling --resolution KEY --org CODE --period P [--year Y] | tally CYCLE"""

from __future__ import annotations

import json
from typing import Any

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.lib.commands import add_place_arguments
from nghiquyet.review import rule_files
from nghiquyet.review.proposals import propose
from nghiquyet.review.rules import CERTAINTY_LABELS, level_label


class Command(AuditedCommand):
    help = "Kiểm điểm, xếp loại: bộ quy tắc theo năm, mức trần theo chỉ tiêu, kết quả kiểm phiếu."

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        rules = actions.add_parser("rules", help="bộ quy tắc áp dụng cho năm kiểm điểm và các quy tắc, kèm nguồn",
                                   called_from_command_line=getattr(parser, "called_from_command_line", None))
        rules.add_argument("--year", type=int, required=True)
        rules.add_argument("--format", choices=["table", "json"], default="table")
        rules.add_argument("--lang", choices=["vi", "en"], default="vi")
        ceiling = actions.add_parser("ceiling", help="mức cao nhất tập thể có thể đạt theo kết quả chỉ tiêu",
                                     called_from_command_line=getattr(parser, "called_from_command_line", None))
        add_place_arguments(ceiling)
        ceiling.add_argument("--year", type=int, help="năm kiểm điểm (mặc định: năm của kỳ)")
        ceiling.add_argument("--rule-set", help="bộ quy tắc khác với bộ của năm (vd qd-124-2023)")
        ceiling.add_argument("--format", choices=["table", "json"], default="table")
        ceiling.add_argument("--lang", choices=["vi", "en"], default="vi")
        tally = actions.add_parser("tally", help="kết quả biểu quyết của một đợt kiểm điểm, kèm kiểm tra quy tắc",
                                   called_from_command_line=getattr(parser, "called_from_command_line", None))
        tally.add_argument("cycle", help="mã đợt kiểm điểm (vd ct-btv-2021)")
        tally.add_argument("--format", choices=["table", "json"], default="table")
        tally.add_argument("--lang", choices=["vi", "en"], default="vi")

    def handle(self, *args: Any, **options: Any) -> None:
        self.lang = options["lang"]
        getattr(self, f"_{options['action']}")(options)

    def _write_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _rules(self, options: dict[str, Any]) -> None:
        rule_set = rule_files.for_year(options["year"])
        lang = options["lang"]
        if options["format"] == "json":
            self._write_json({
                "rule_set": rule_set.key, "regulation": rule_set.regulation, "year": options["year"],
                "rules": [{"id": rule.id, "kind": rule.kind, "level": rule.level.value if rule.level else None,
                           "applies_to": list(rule.applies_to), "text": rule.says(lang), "source": rule.source,
                           "ref": rule.ref, "certainty": rule.certainty} for rule in rule_set.rules],
            })
            return
        years = f"{rule_set.year_from}–{rule_set.year_to or ('on' if lang == 'en' else 'nay')}"
        self.stdout.write(f"{rule_set.key}: {rule_set.regulation}")
        self.stdout.write(("Review years" if lang == "en" else "Năm kiểm điểm") + f": {years}; "
                          + ("guidance" if lang == "en" else "hướng dẫn") + f": {'; '.join(rule_set.guidance)}")
        labels = CERTAINTY_LABELS[lang]
        for rule in rule_set.rules:
            level = f" [{level_label(rule.level, lang)}]" if rule.level else ""
            self.stdout.write(f"- {rule.id}{level}: {rule.says(lang)}\n    {rule.source} — {labels[rule.certainty]}")

    def _ceiling(self, options: dict[str, Any]) -> None:
        proposal = propose(resolution_key=options["resolution"], org_code=options["org"], period=options["period"],
                           year=options["year"], rule_set_key=options["rule_set"], lang=options["lang"])
        if options["format"] == "json":
            self._write_json(proposal.as_json())
            return
        lang = options["lang"]
        self.stdout.write(f"{proposal.scorecard.sentence}")
        self.stdout.write(("Highest level on the figures" if lang == "en" else "Mức cao nhất có thể theo kết quả chỉ tiêu")
                          + f" ({proposal.rule_set.short}): {level_label(proposal.ceiling.level, lang)}")
        for text in proposal.ceiling.texts:
            self.stdout.write(f"- {text}")

    def _tally(self, options: dict[str, Any]) -> None:
        from nghiquyet.review.tally import cycle_tally  # the cycle's tables

        result = cycle_tally(cycle_key=options["cycle"], lang=options["lang"])
        if options["format"] == "json":
            self._write_json(result.as_json())
            return
        for line in result.lines():
            self.stdout.write(line)
