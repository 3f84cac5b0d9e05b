from django.conf import settings


def service(request):
    """The service's and the deployment's names (header, page titles) and where people
    write to (phase banner, error and policy pages). The 500 page calls it without a
    request, so it must not need one."""
    return {
        "service_name": settings.SERVICE_NAME,
        "deployment_name": settings.DEPLOYMENT_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "feedback_url": settings.FEEDBACK_URL,
    }
