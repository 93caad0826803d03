"""`X-Query-Count` on every response, for benchmarks only (PORTAL_QUERY_COUNT_HEADER=1).

The benchmark drives the real site over HTTP behind gunicorn and reads how many SQL
queries each request cost; without the variable this middleware is not installed.
"""

from __future__ import annotations

from django.db import connection


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
