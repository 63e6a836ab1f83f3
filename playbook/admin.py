from django.contrib import admin

from playbook.models import ModelPathway, Practice, Stage, SurveyStatement


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "slug"]
    list_display_links = ["number", "name"]
    search_fields = ["name", "slug", "short_description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["number", "name", "slug", "short_description", "guiding_questions", "translations"]


class StageInline(admin.StackedInline):
    model = Stage
    extra = 0
    fields = ["order", "name", "slug", "what_to_expect", "city_support", "translations"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ModelPathway)
class ModelPathwayAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "endgame", "slug"]
    list_display_links = ["order", "name"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["order", "endgame", "name", "slug", "description", "translations"]
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "pathway", "order", "slug"]
    list_filter = ["pathway"]
    list_select_related = ["pathway"]
    search_fields = ["name", "slug", "pathway__name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["pathway", "order", "name", "slug", "what_to_expect", "city_support", "translations"]


@admin.register(SurveyStatement)
class SurveyStatementAdmin(admin.ModelAdmin):
    list_display = ["key", "practice", "order", "asked_of", "about"]
    list_filter = ["practice", "asked_of"]
    search_fields = ["key", "text"]
    fields = ["practice", "key", "order", "text", "asked_of", "about", "translations"]
