"""Private files: stored files served only through permission-checked views.

`private_file_response` is the one way a view hands a stored file to a browser; the media
view (`/media/<path>`) finds which object a stored path belongs to through the resolvers
registered in `registry` and serves it only to people that object's rule admits.
"""
