"""What a WordPress blog's owner can change about its theme, feeds and comment pages.

Every sample WordPress blog starts as the corpus says: its template's theme (Twenty Twenty
or a GeneratePress-like one), REST on or off, RSS on, every comment on the post page.
Tests switch a blog to another shape (``SampleWeb(wordpress={host: WordPressSettings(...)})``
or live with ``SampleWeb.configure_wordpress``), to exercise the theme-HTML path:

- ``theme="block"``: a block theme (Twenty Twenty-Four's templates): ``.wp-site-blocks``,
  ``h1.wp-block-post-title``, ``.wp-block-post-content``, and the comments block
  (``.wp-block-comments``, ``ol.wp-block-comment-template > li.comment``,
  ``.wp-block-comment-author-name``, ``.wp-block-comment-date time``,
  ``.wp-block-comment-content``, ``.wp-block-comments-pagination``).
- ``theme="divs"``: a classic theme that calls ``wp_list_comments(style="div")``: nested
  ``div.comment.depth-N`` without any list, ``<cite class="fn">`` (a link for some
  commenters) followed by "berkata:", and only the visible time ("25 Juni 2020 pukul
  19:02"), no ``<time>``; comment pages linked by "older/newer" only.
- ``rest`` (``None``: as the corpus template) and ``rss``: ``False`` answers 404 on
  ``/wp-json/`` or ``/feed/`` (a security plugin, "feeds off").
- ``comments_per_page``: "Break comments into pages with N top level comments per page";
  ``default_comments_page``: which page the post URL shows, ``"newest"`` (WordPress's
  default: the last page; older ones at ``/comment-page-N/``) or ``"oldest"``.
"""

from __future__ import annotations

from dataclasses import dataclass

THEMES = ("block", "divs")


@dataclass
class WordPressSettings:
    theme: str | None = None  # None: the corpus template's theme; else one of THEMES
    rest: bool | None = None  # None: as the corpus template (wp-rest-off answers 404)
    rss: bool = True
    comments_per_page: int | None = None  # None: every comment on the post page
    default_comments_page: str = "newest"  # newest | oldest

    def __post_init__(self) -> None:
        if self.theme is not None and self.theme not in THEMES:
            raise ValueError(f"theme must be None or one of {THEMES}")
        if self.comments_per_page is not None and self.comments_per_page < 1:
            raise ValueError("comments_per_page must be >= 1")
        if self.default_comments_page not in ("newest", "oldest"):
            raise ValueError("default_comments_page must be 'newest' or 'oldest'")
