"""WordPress themes a blog can be switched to (``WordPressSettings.theme``).

``block``: a block theme as Twenty Twenty-Four renders its single and index templates:
no ``<article>``, ``h1.wp-block-post-title``, ``.wp-block-post-date time``,
``.wp-block-post-author-name``, ``.entry-content.wp-block-post-content``, and the
comments block (``ol.wp-block-comment-template`` > ``li#comment-ID.comment.depth-N`` with
``.wp-block-comment-author-name``, ``.wp-block-comment-date a > time[datetime]``,
``.wp-block-comment-content``, replies in ``ol.children``) with
``.wp-block-comments-pagination`` below.

``divs``: the comment list a classic theme gets from ``wp_list_comments(style="div")``:
nested ``div#comment-ID.comment.depth-N`` with no list and no ``children`` wrapper,
``<cite class="fn">`` (linked for commenters with a site) then "berkata:", and only the
visible time; the comment pages are linked by "older/newer" only
(``the_comments_navigation()``), so a crawler walks them one by one.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .body import body_html, excerpt
from .localefmt import day_month_year, wp_comment_time
from .model import Comment, Post
from .slugs import slugify
from .wordpress_html import page_head

if TYPE_CHECKING:
    from .wordpress import WordPressSite


def _e(value: str) -> str:
    return escape(value, quote=True)


def _lines(text: str) -> str:
    return escape(text, quote=False).replace("\n", "<br />\n")


def _commenter_site(c: Comment) -> str | None:
    """Some commenters leave a website, which the theme links from their name."""
    if c.author and c.native_id % 2 == 0:
        return f"https://{slugify(c.author)}.blogspot.test/"
    return None


# --- the "divs" comment list --------------------------------------------------------------
def _div_comment(
    site: WordPressSite, post: Post, c: Comment, children: list, depth: int, page: int
) -> str:
    cid = c.native_id
    parity = "odd alt" if depth % 2 == 0 else "even"
    klass = f"comment {parity} depth-{depth}" + (" parent" if children else "")
    if c.author and c.author == (post.author or site.blog.owner):
        klass += " byuser bypostauthor"
    name = _e(c.author) if c.author else "Anonim"
    if (link := _commenter_site(c)) is not None:
        name = f"<a href='{link}' rel='external nofollow ugc' class='url'>{name}</a>"
    here = site.comment_page_url(post, page)
    kids = "".join(_div_comment(site, post, k, g, depth + 1, page) for k, g in children)
    return (
        f'<div class="{klass}" id="comment-{cid}">\n'
        f'<div id="div-comment-{cid}" class="comment-body">\n'
        '<div class="comment-author vcard"><img alt="" src="https://secure.gravatar.com/avatar/?s=32&#038;d=mm&#038;r=g" '
        f'class="avatar avatar-32 photo" height="32" width="32" /><cite class="fn">{name}</cite> '
        '<span class="says">berkata:</span></div>\n'
        f'<div class="comment-meta commentmetadata"><a href="{_e(here)}#comment-{cid}">'
        f"{wp_comment_time(c.published)}</a></div>\n"
        f"<p>{_lines(c.text)}</p>\n"
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="{_e(site.post_url(post))}?replytocom={cid}#respond" data-commentid="{cid}" '
        f'data-postid="{post.native_id}" data-belowelement="div-comment-{cid}" '
        f'data-respondelement="respond">Balas</a></div>\n'
        f"</div>\n{kids}</div>\n"
    )


def _older_newer(site: WordPressSite, post: Post, page: int, where: str) -> str:
    pages = site.comment_page_count(post)
    if pages < 2:
        return ""
    older = (
        f'<div class="nav-previous"><a href="{_e(site.comment_page_url(post, page - 1))}#comments">'
        "&larr; Komentar Lebih Lama</a></div>"
        if page > 1
        else ""
    )
    newer = (
        f'<div class="nav-next"><a href="{_e(site.comment_page_url(post, page + 1))}#comments">'
        "Komentar Lebih Baru &rarr;</a></div>"
        if page < pages
        else ""
    )
    return (
        f'<nav id="comment-nav-{where}" class="navigation comment-navigation" aria-label="Komentar">'
        f'<h2 class="screen-reader-text">Navigasi komentar</h2><div class="nav-links">{older}{newer}</div></nav>'
    )


def div_comments(site: WordPressSite, post: Post, page: int) -> str:
    """The comment area of the ``divs`` theme, comment page ``page``."""
    n = len(site.visible_comments(post))
    items = "".join(
        _div_comment(site, post, c, kids, 1, page) for c, kids in site.thread_page(post, page)
    )
    title = f"{n} tanggapan untuk &ldquo;{_e(post.title)}&rdquo;" if n else "Belum ada tanggapan"
    return (
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{title}</h2>'
        f"{_older_newer(site, post, page, 'above')}"
        f'<div class="comment-list">\n{items}</div>'
        f"{_older_newer(site, post, page, 'below')}"
        f"{_respond(site, post)}</div>"
    )


def _respond(site: WordPressSite, post: Post) -> str:
    return (
        '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">'
        "Tinggalkan Balasan</h3>"
        f'<form action="{site.url("/wp-comments-post.php")}" method="post" id="commentform" class="comment-form">'
        '<p class="comment-form-comment"><textarea id="comment" name="comment" required></textarea></p>'
        f'<input type="hidden" name="comment_post_ID" value="{post.native_id}" id="comment_post_ID" />'
        '<p class="form-submit"><input name="submit" type="submit" class="submit" value="Kirim Komentar" /></p>'
        "</form></div>"
    )


# --- the block theme -----------------------------------------------------------------------
def _block_comment(
    site: WordPressSite, post: Post, c: Comment, children: list, depth: int, page: int
) -> str:
    cid = c.native_id
    parity = "odd alt" if depth % 2 == 0 else "even"
    klass = f"comment {parity} thread-{'odd' if cid % 2 else 'even'} depth-{depth}"
    name = _e(c.author) if c.author else "Anonim"
    if (link := _commenter_site(c)) is not None:
        name = f'<a rel="external nofollow ugc" href="{link}" target="_self">{name}</a>'
    here = site.comment_page_url(post, page)
    kids = ""
    if children:
        kids = (
            '<ol class="children">'
            + "".join(_block_comment(site, post, k, g, depth + 1, page) for k, g in children)
            + "</ol>"
        )
    return (
        f'<li id="comment-{cid}" class="{klass}">'
        '<div class="wp-block-group is-layout-flex wp-block-group-is-layout-flex">'
        '<div class="wp-block-avatar"><img alt="" src="https://secure.gravatar.com/avatar/?s=40&amp;d=mm&amp;r=g" '
        'class="avatar avatar-40 photo wp-block-avatar__image" height="40" width="40"/></div>'
        '<div class="wp-block-group is-layout-constrained wp-block-group-is-layout-constrained">'
        f'<div class="wp-block-comment-author-name has-small-font-size">{name}</div>'
        '<div class="wp-block-group is-layout-flex wp-block-group-is-layout-flex">'
        f'<div class="wp-block-comment-date has-small-font-size"><a href="{_e(here)}#comment-{cid}">'
        f'<time datetime="{c.published.isoformat()}">{wp_comment_time(c.published)}</time></a></div>'
        "</div>"
        f'<div class="wp-block-comment-content"><p>{_lines(c.text)}</p></div>'
        '<div class="wp-block-comment-reply-link has-small-font-size"><a rel="nofollow" class="comment-reply-link" '
        f'href="{_e(site.post_url(post))}?replytocom={cid}#respond" data-commentid="{cid}" '
        f'data-postid="{post.native_id}" data-belowelement="comment-{cid}" data-respondelement="respond">Balas</a></div>'
        "</div></div>"
        f"{kids}</li>"
    )


def _block_pager(site: WordPressSite, post: Post, page: int) -> str:
    pages = site.comment_page_count(post)
    if pages < 2:
        return ""
    parts = []
    if page > 1:
        parts.append(
            f'<a href="{_e(site.comment_page_url(post, page - 1))}#comments" '
            'class="wp-block-comments-pagination-previous">Komentar Lebih Lama</a>'
        )
    numbers = []
    for n in range(1, pages + 1):
        if n == page:
            numbers.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            numbers.append(
                f'<a class="page-numbers" href="{_e(site.comment_page_url(post, n))}#comments">{n}</a>'
            )
    parts.append(f'<div class="wp-block-comments-pagination-numbers">{"".join(numbers)}</div>')
    if page < pages:
        parts.append(
            f'<a href="{_e(site.comment_page_url(post, page + 1))}#comments" '
            'class="wp-block-comments-pagination-next">Komentar Lebih Baru</a>'
        )
    return (
        '<nav class="wp-block-comments-pagination is-layout-flex" aria-label="Penomoran halaman komentar">'
        f"{''.join(parts)}</nav>"
    )


def _block_frame(site: WordPressSite, title: str, canonical: str, main: str, post: Post | None,
                 body_class: str) -> str:  # fmt: skip
    blog = site.blog
    nav = "".join(
        f'<li class="wp-block-navigation-item"><a class="wp-block-navigation-item__content" '
        f'href="{_e(site.category_url(n))}"><span class="wp-block-navigation-item__label">{_e(n)}</span></a></li>'
        for n in list(site.categories().values())[:4]
    )
    return (
        page_head(site, title, canonical, post)
        + f'\n<body class="{body_class} wp-embed-responsive">\n<div class="wp-site-blocks">'
        '<header class="wp-block-template-part"><div class="wp-block-group alignwide is-layout-flex">'
        f'<p class="wp-block-site-title"><a href="{site.url("/")}" target="_self" rel="home">{_e(blog.title)}</a></p>'
        f'<nav class="wp-block-navigation" aria-label="Navigasi"><ul class="wp-block-navigation__container">{nav}</ul></nav>'
        "</div></header>\n"
        f'<main class="wp-block-group" style="margin-top:var(--wp--preset--spacing--50)">{main}</main>\n'
        '<footer class="wp-block-template-part"><div class="wp-block-group has-global-padding">'
        f'<h2 class="wp-block-site-title">{_e(blog.title)}</h2>'
        f'<p class="has-small-font-size">{_e(blog.owner)}</p>'
        '<p class="has-small-font-size">Dirancang dengan <a href="https://wordpress.org" rel="nofollow">WordPress</a></p>'
        "</div></footer></div>\n</body>\n</html>\n"
    )


def block_post_page(site: WordPressSite, post: Post, page: int) -> str:
    url = site.post_url(post)
    author = post.author or site.blog.owner
    n = len(site.visible_comments(post))
    threads = site.thread_page(post, page)
    items = "".join(_block_comment(site, post, c, kids, 1, page) for c, kids in threads)
    terms = ", ".join(
        f'<a href="{_e(site.category_url(x))}" rel="tag">{_e(x)}</a>' for x in post.labels
    )
    comments = (
        '<div class="wp-block-comments wp-block-comments-query-loop" id="comments">'
        f'<h2 class="wp-block-comments-title">{n} tanggapan untuk &ldquo;{_e(post.title)}&rdquo;</h2>'
        f'<ol class="wp-block-comment-template">{items}</ol>'
        f"{_block_pager(site, post, page)}"
        f"{_respond(site, post)}</div>"
        if n
        else f'<div class="wp-block-comments" id="comments">{_respond(site, post)}</div>'
    )
    main = (
        '<div class="wp-block-group has-global-padding is-layout-constrained">'
        f'<h1 class="wp-block-post-title">{_e(post.title)}</h1>'
        '<div class="wp-block-group is-layout-flex">'
        f'<div class="wp-block-post-date"><time datetime="{post.published.isoformat()}">'
        f'<a href="{_e(url)}">{day_month_year(post.published)}</a></time></div>'
        '<p class="has-small-font-size">oleh</p>'
        f'<div class="wp-block-post-author-name"><a href="{site.url("/author/" + site.author_slug(author) + "/")}" '
        f'target="_self" class="wp-block-post-author-name__link">{_e(author)}</a></div>'
        "</div></div>"
        '<div class="entry-content alignfull wp-block-post-content has-global-padding is-layout-constrained">'
        f"\n{body_html(post, image_style='wp')}\n</div>"
        f'<div class="taxonomy-category wp-block-post-terms">{terms}</div>'
        f"{comments}"
    )
    classes = f"post-template-default single single-post postid-{post.native_id}"
    title = f"{post.title} \u2013 {site.blog.title}"
    return _block_frame(site, title, site.comment_page_url(post, page), main, post, classes)


def block_listing_page(
    site: WordPressSite, posts: list[Post], *, page: int, pages: int, base: str
) -> str:
    items = "".join(
        f'<li class="wp-block-post post-{p.native_id} post type-post status-publish format-standard hentry">'
        f'<h2 class="wp-block-post-title"><a href="{_e(site.post_url(p))}" target="_self">{_e(p.title)}</a></h2>'
        f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">{_e(excerpt(p, 30))}</p></div>'
        f'<div class="wp-block-post-date"><time datetime="{p.published.isoformat()}">{day_month_year(p.published)}</time></div>'
        "</li>"
        for p in posts
    )
    pager = []
    if page > 1:
        prev = base if page == 2 else f"{base}page/{page - 1}/"
        pager.append(
            f'<a href="{site.url(prev)}" class="wp-block-query-pagination-previous">Pos Lebih Baru</a>'
        )
    if page < pages:
        pager.append(
            f'<a href="{site.url(f"{base}page/{page + 1}/")}" class="wp-block-query-pagination-next">Pos Lebih Lama</a>'
        )
    main = (
        '<div class="wp-block-query alignwide is-layout-flow">'
        f'<ul class="wp-block-post-template is-layout-grid">{items}</ul>'
        f'<nav class="wp-block-query-pagination" aria-label="Penomoran halaman">{"".join(pager)}</nav>'
        "</div>"
    )
    canonical = site.url(base if page == 1 else f"{base}page/{page}/")
    return _block_frame(site, site.blog.title, canonical, main, None, "home blog")
