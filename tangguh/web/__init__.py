"""`tangguh serve`: the web page over the same database and search index as the CLI.

Server-rendered (Starlette, Jinja2 with autoescaping), working without JavaScript, read-only.
The pages call the library functions the CLI calls (`search`, `store`, `tangguh.ops`); this
package only turns their results into HTML, CSV and JSON.
"""
