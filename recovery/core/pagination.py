"""GOV.UK pagination for any Django Page: the links `components/pagination.html` renders."""

from django.core.paginator import Page


def pagination_links(request, page: Page) -> dict | None:
    """Previous/next links and numbered items (None marks an ellipsis), keeping the request's
    other query parameters (filters, sort). None when there is only one page."""
    if page.paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        params = request.GET.copy()
        params["page"] = number
        return "?" + params.urlencode()

    items = [
        {"ellipsis": True}
        if number == page.paginator.ELLIPSIS
        else {"number": number, "href": href(number), "current": number == page.number}
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return {
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
        "items": items,
    }
