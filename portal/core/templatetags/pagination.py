from django import template

register = template.Library()


@register.simple_tag
def pagination_items(page):
    """The page links GOV.UK pagination shows: the first and last pages, the current
    one and its neighbours, and an ellipsis for each gap (1 … 4 5 6 … 20)."""
    paginator = page.paginator
    return [
        {"ellipsis": True}
        if number == paginator.ELLIPSIS
        else {"number": number, "current": number == page.number}
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]


@register.simple_tag(takes_context=True)
def pagination_page(context):
    """The page to paginate: ``page`` if the include was given one, else ``page_obj``
    (the name Django's list views use)."""
    return context.get("page") or context.get("page_obj")
