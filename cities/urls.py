from django.urls import URLPattern, URLResolver

app_name = "cities"

urlpatterns: list[URLPattern | URLResolver] = []
