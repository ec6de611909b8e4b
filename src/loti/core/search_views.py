"""The results page of the one search: everything its reader may read, grouped by kind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from loti.core import search
from loti.core.access import methods
from loti.core.pages import paginate, pagination

# A kind without a search page of its own lists all its results here, this many a page.
PER_PAGE = 20


@methods("GET")
def search_results(request: HttpRequest) -> HttpResponse:
    asked = "q" in request.GET
    # What the person typed, as they typed it, to show back (cut as `parse` cuts it).
    text = " ".join(request.GET.get("q", "")[: search.MAX_QUERY_CHARS].split())
    query = search.parse(text)
    context = {"text": text, "error": "Enter words to search for" if asked and not query else ""}
    if not query:
        return render(request, "core/search.html", context)
    key = request.GET.get("kind", "")
    one = next((each for each in search.kinds() if each.key == key), None)
    if one is not None:
        page = paginate(
            search.search(one.readable(request.user), query),
            request.GET.get("page"),
            per_page=PER_PAGE,
        )
        return render(
            request,
            "core/search.html",
            {
                **context,
                "kind": one,
                "hits": [one.hit(record, query) for record in page],
                "all_url": f"?{urlencode({'q': text})}",
                **pagination(page, query=urlencode({"q": text, "kind": one.key})),
            },
        )
    groups = search.everything(request.user, text)
    for group in groups:
        if not group.more_url and group.total > len(group.hits):
            group.more_url = f"?{urlencode({'q': text, 'kind': group.kind.key})}"
    return render(
        request,
        "core/search.html",
        {**context, "groups": groups, "total": sum(group.total for group in groups)},
    )
