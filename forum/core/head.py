"""HEAD answers as GET does, without a body (RFC 9110, 9.3.2).

Django's views answer HEAD with the body of GET; the test client and `runserver` drop it,
but a WSGI server is handed it: gunicorn drops it too and logs a warning for every HEAD
("WSGI app sent body bytes on a no-body response"), so a monitor or a calendar client
checking a file filled the server's log. `HeadWithoutBodyMiddleware`, outermost, empties
the body once every other middleware has seen the response: the headers (Content-Type,
Content-Length, Content-Disposition…) stay those of GET, and a streamed body (vCards,
files) is never read; its iterator is still closed with the response.
"""


class HeadWithoutBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                # The old iterator's close() stays registered: response.close() calls it.
                response.streaming_content = []
            else:
                # The length GET would send, also for answers CommonMiddleware never saw.
                if not response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
                response.content = b""
        return response
