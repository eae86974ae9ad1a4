from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "nghiquyet.review"
    label = "review"
    verbose_name = "Kiểm điểm, đánh giá, xếp loại"
