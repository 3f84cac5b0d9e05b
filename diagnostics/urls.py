from django.urls import path

from diagnostics.views import flow, results

app_name = "diagnostics"

urlpatterns = [
    path("", flow.start, name="start"),
    path("<uuid:public_id>/", flow.task_list, name="task-list"),
    path("<uuid:public_id>/profile/", flow.profile, name="profile"),
    path("<uuid:public_id>/section/<int:number>/", flow.section, name="section"),
    path("<uuid:public_id>/check/", flow.check_answers, name="check-answers"),
    path("<uuid:public_id>/save/", flow.save_and_leave, name="save-and-leave"),
    path("<uuid:public_id>/resume/<str:token>/", flow.resume, name="resume"),
    path("<uuid:public_id>/results/", results.results, name="results"),
    path("<uuid:public_id>/results/email/", results.email_results, name="email-results"),
    path("<uuid:public_id>/download/", results.download, name="download"),
    path("<uuid:public_id>/delete/", results.delete, name="delete"),
    path("<uuid:public_id>/retake/", results.retake, name="retake"),
]
