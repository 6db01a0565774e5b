"""WordPress theme HTML: Twenty Twenty for one blog, a GeneratePress-like theme for the other.

Both emit what WordPress core prints whatever the theme: the generator meta, the
``https://api.w.org/`` link, ``article.post`` with ``h1.entry-title``,
``time.entry-date.published[datetime]``, ``div.entry-content``, and the core comment
walker (``ol.comment-list`` > ``li#comment-ID.comment`` > ``ol.children``). Themes differ
in the wrapper markup around them, which is what page objects must tolerate.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .body import body_html, excerpt
from .localefmt import day_month_year, wp_comment_time
from .model import Comment, Post
from .slugs import slugify

if TYPE_CHECKING:
    from .wordpress import WordPressSite

WP_VERSION = "6.4.3"


def _e(value: str) -> str:
    return escape(value, quote=True)


def page_head(site: WordPressSite, title: str, canonical: str, post: Post | None) -> str:
    blog = site.blog
    extra = ""
    if post is not None:
        extra = (
            f'<link rel="alternate" type="application/rss+xml" title="{_e(blog.title)} &raquo; '
            f'{_e(post.title)} Umpan Komentar" href="{_e(site.post_url(post))}feed/" />\n'
            f'<link rel="alternate" title="JSON" type="application/json" '
            f'href="{site.url(f"/wp-json/wp/v2/posts/{post.native_id}")}" />\n'
            f"<link rel='shortlink' href='{site.url(f'/?p={post.native_id}')}' />\n"
            f'<meta property="og:type" content="article" />\n'
            f'<meta property="og:title" content="{_e(post.title)}" />\n'
        )
    return f"""<!DOCTYPE html>
<html class="no-js" lang="id-ID">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1' />
<title>{_e(title)}</title>
<link rel="alternate" type="application/rss+xml" title="{_e(blog.title)} &raquo; Feed" href="{site.url("/feed/")}" />
<link rel="alternate" type="application/rss+xml" title="{_e(blog.title)} &raquo; Umpan Komentar" href="{site.url("/comments/feed/")}" />
{extra}<link rel='stylesheet' id='wp-block-library-css' href='{site.url("/wp-includes/css/dist/block-library/style.min.css?ver=" + WP_VERSION)}' media='all' />
<script src="{site.url("/wp-includes/js/jquery/jquery.min.js?ver=3.7.1")}" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="{site.url("/wp-json/")}" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{site.url("/xmlrpc.php?rsd")}" />
<meta name="generator" content="WordPress {WP_VERSION}" />
<link rel="canonical" href="{_e(canonical)}" />
</head>"""


def _menu(site: WordPressSite) -> str:
    cats = "".join(
        f'<li class="menu-item menu-item-type-taxonomy"><a href="{_e(site.category_url(n))}">{_e(n)}</a></li>'
        for n in list(site.categories().values())[:5]
    )
    return f'<ul class="primary-menu reset-list-style"><li class="menu-item"><a href="{site.url("/")}">Beranda</a></li>{cats}</ul>'


def _sidebar(site: WordPressSite) -> str:
    recent = "".join(
        f'<li><a href="{_e(site.post_url(p))}">{_e(p.title)}</a>'
        f'<span class="post-date">{day_month_year(p.published)}</span></li>'
        for p in site.posts_desc()[:5]
    )
    recent_comments = []
    pairs = [(p, c) for p in site.blog.posts for c in site.visible_comments(p)]
    pairs.sort(key=lambda pc: pc[1].published, reverse=True)
    for p, c in pairs[:5]:
        recent_comments.append(
            f'<li class="recentcomments"><span class="comment-author-link">{_e(c.author or "Anonim")}</span> pada '
            f'<a href="{_e(site.comment_url(p, c))}">{_e(p.title)}</a></li>'
        )
    cats = "".join(
        f'<li class="cat-item"><a href="{_e(site.category_url(n))}">{_e(n)}</a></li>'
        for n in site.categories().values()
    )
    return (
        '<aside class="widget-area" role="complementary">'
        '<section id="search-2" class="widget widget_search"><form role="search" method="get" '
        f'class="search-form" action="{site.url("/")}"><input type="search" name="s" /></form></section>'
        f'<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Pos-pos Terbaru</h2><ul>{recent}</ul></section>'
        f'<section id="recent-comments-2" class="widget widget_recent_comments"><h2 class="widget-title">Komentar Terbaru</h2><ul id="recentcomments">{"".join(recent_comments)}</ul></section>'
        f'<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Kategori</h2><ul>{cats}</ul></section>'
        "</aside>"
    )


def _frame(
    site: WordPressSite, title: str, canonical: str, main: str, post: Post | None, body_class: str
) -> str:
    blog = site.blog
    if site.blog.template == "wp-rest-off":
        header = (
            '<header class="site-header" id="masthead"><div class="inside-header grid-container">'
            f'<div class="site-branding"><p class="main-title"><a href="{site.url("/")}" rel="home">{_e(blog.title)}</a></p>'
            f'<p class="site-description">{_e(blog.owner)}</p></div>'
            f'<nav id="site-navigation" class="main-navigation">{_menu(site)}</nav></div></header>'
        )
        content = (
            f'<div class="site grid-container container hfeed" id="page"><div class="site-content" id="content">'
            f'<div class="content-area" id="primary"><main class="site-main" id="main">{main}</main></div>'
            f'<div class="widget-area sidebar is-right-sidebar" id="right-sidebar"><div class="inside-right-sidebar">{_sidebar(site)}</div></div>'
            "</div></div>"
        )
        footer = (
            '<div class="site-footer"><footer class="site-info"><div class="inside-site-info grid-container">'
            f'<div class="copyright-bar"><span class="copyright">&copy; 2026 {_e(blog.title)}</span> &bull; Dibuat dengan '
            '<a href="https://generatepress.com" itemprop="url">GeneratePress</a></div></div></footer></div>'
        )
    else:
        header = (
            '<header id="site-header" class="header-footer-group"><div class="header-inner section-inner">'
            f'<div class="header-titles-wrapper"><div class="header-titles"><div class="site-title faux-heading">'
            f'<a href="{site.url("/")}">{_e(blog.title)}</a></div><div class="site-description">{_e(blog.owner)}</div></div></div>'
            f'<div class="header-navigation-wrapper"><nav class="primary-menu-wrapper" aria-label="Horizontal">{_menu(site)}</nav></div>'
            "</div></header>"
        )
        content = f'<main id="site-content">{main}</main><div class="footer-nav-widgets-wrapper header-footer-group">{_sidebar(site)}</div>'
        footer = (
            '<footer id="site-footer" class="header-footer-group"><div class="section-inner">'
            f'<div class="footer-credits"><p class="footer-copyright">&copy; 2026 <a href="{site.url("/")}">{_e(blog.title)}</a></p>'
            '<p class="powered-by-wordpress"><a href="https://wordpress.org/">Dipersembahkan oleh WordPress</a></p></div>'
            f'<a class="to-the-top" href="#site-header">Ke atas</a></div></footer>'
        )
    return (
        page_head(site, title, canonical, post)
        + f'\n<body class="{body_class}">\n<a class="skip-link screen-reader-text" href="#site-content">Langsung ke konten</a>\n'
        + header
        + "\n"
        + content
        + "\n"
        + footer
        + '\n<script id="wp-emoji-settings" type="application/json">{"baseUrl":"https://s.w.org/images/core/emoji/15.0.3/72x72/"}</script>\n</body>\n</html>\n'
    )


def _meta(site: WordPressSite, post: Post) -> str:
    author = post.author or site.blog.owner
    url = site.post_url(post)
    n = len(site.visible_comments(post))
    published = (
        f'<time class="entry-date published" datetime="{post.published.isoformat()}">'
        f"{day_month_year(post.published)}</time>"
    )
    updated = f'<time class="updated" datetime="{post.updated.isoformat()}">{day_month_year(post.updated)}</time>'
    if site.blog.template == "wp-rest-off":
        return (
            '<div class="entry-meta"><span class="posted-on">'
            f'<a href="{_e(url)}" rel="bookmark">{published}{updated}</a></span> '
            f'<span class="byline">oleh <span class="author vcard"><a class="url fn n" href="{site.url("/author/" + site.author_slug(author) + "/")}" rel="author">'
            f'<span class="author-name">{_e(author)}</span></a></span></span></div>'
        )
    return (
        '<div class="post-meta-wrapper post-meta-single post-meta-single-top"><ul class="post-meta">'
        f'<li class="post-author meta-wrapper"><span class="meta-text">Oleh <a href="{site.url("/author/" + site.author_slug(author) + "/")}">{_e(author)}</a></span></li>'
        f'<li class="post-date meta-wrapper"><span class="meta-text"><a href="{_e(url)}">{published}{updated}</a></span></li>'
        f'<li class="post-comment-link meta-wrapper"><span class="meta-text"><a href="{_e(url)}#comments">{n} Komentar</a></span></li>'
        "</ul></div>"
    )


def _categories(site: WordPressSite, post: Post) -> str:
    links = ", ".join(
        f'<a href="{_e(site.category_url(x))}" rel="category tag">{_e(x)}</a>' for x in post.labels
    )
    return f'<div class="entry-categories"><span class="screen-reader-text">Kategori</span><div class="entry-categories-inner">{links}</div></div>'


def _article(site: WordPressSite, post: Post, *, full: bool) -> str:
    url = site.post_url(post)
    cat_classes = " ".join(f"category-{slugify(x)}" for x in post.labels)
    if full:
        title = f'<h1 class="entry-title">{_e(post.title)}</h1>'
        content = f'<div class="entry-content">\n{body_html(post, image_style="wp")}\n</div>'
    else:
        title = (
            f'<h2 class="entry-title heading-size-1"><a href="{_e(url)}">{_e(post.title)}</a></h2>'
        )
        content = (
            f'<div class="entry-summary"><p>{_e(excerpt(post, 55))}</p>'
            f'<a class="more-link" href="{_e(url)}">Lanjutkan membaca <span class="screen-reader-text">{_e(post.title)}</span></a></div>'
        )
    return (
        f'<article class="post-{post.native_id} post type-post status-publish format-standard hentry {cat_classes}" id="post-{post.native_id}">'
        f'<header class="entry-header has-text-align-center"><div class="entry-header-inner section-inner medium">'
        f"{_categories(site, post)}{title}{_meta(site, post)}</div></header>"
        f'<div class="post-inner thin"><div class="inside-article">{content}</div></div>'
        "</article>"
    )


def _comment(
    site: WordPressSite, post: Post, c: Comment, children: list, depth: int, page: int
) -> str:
    url = site.post_url(post)
    here = site.comment_page_url(post, page)
    cid = c.native_id
    name = _e(c.author) if c.author else "Anonim"
    parity = "odd" if depth % 2 == 0 else "even"
    klass = f"comment {parity} depth-{depth}" + (" parent" if children else "")
    if c.author == (post.author or site.blog.owner):
        klass += " byuser bypostauthor"
    kids = ""
    if children:
        kids = (
            '<ol class="children">'
            + "".join(_comment(site, post, k, g, depth + 1, page) for k, g in children)
            + "</ol>"
        )
    text = escape(c.text, quote=False).replace("\n", "<br />\n")
    return (
        f'<li id="comment-{cid}" class="{klass}">'
        f'<article id="div-comment-{cid}" class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><img alt="" src="https://secure.gravatar.com/avatar/?s=120&amp;d=mm&amp;r=g" class="avatar avatar-120 photo" height="120" width="120" loading="lazy" decoding="async"/>'
        f'<b class="fn">{name}</b> <span class="says">berkata:</span></div>'
        f'<div class="comment-metadata"><a href="{_e(here)}#comment-{cid}"><time datetime="{c.published.isoformat()}">'
        f"{wp_comment_time(c.published)}</time></a></div></footer>"
        f'<div class="comment-content"><p>{text}</p></div>'
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="{_e(url)}?replytocom={cid}#respond" '
        f'data-commentid="{cid}" data-postid="{post.native_id}" data-belowelement="div-comment-{cid}" '
        f'data-respondelement="respond" aria-label="Balasan untuk {name}">Balas</a></div>'
        f"</article>{kids}</li>"
    )


def comments_section(site: WordPressSite, post: Post, page: int) -> str:
    """The core comment walker's html5 list (``ol.comment-list > li#comment-ID``), one
    comment page of it with ``paginate_comments_links()`` below when comments are paged."""
    n = len(site.visible_comments(post))
    threads = site.thread_page(post, page)
    items = "".join(_comment(site, post, c, kids, 1, page) for c, kids in threads)
    heading = f"{n} tanggapan untuk &ldquo;{_e(post.title)}&rdquo;" if n else "Belum ada komentar"
    return (
        f'<div class="comments-wrapper section-inner"><div class="comments" id="comments">'
        f'<div class="comments-header section-inner small max-percentage"><h2 class="comment-reply-title">{heading}</h2></div>'
        f'<div class="comments-inner section-inner thin max-percentage"><ol class="comment-list">{items}</ol></div>'
        f"{numbered_comment_pager(site, post, page)}</div>"
        f'<div id="respond" class="comment-respond"><h2 id="reply-title" class="comment-reply-title">Tinggalkan Balasan</h2>'
        f'<form action="{site.url("/wp-comments-post.php")}" method="post" id="commentform" class="comment-form">'
        '<p class="comment-notes">Alamat email Anda tidak akan dipublikasikan.</p>'
        '<p class="comment-form-comment"><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>'
        f'<input type="hidden" name="comment_post_ID" value="{post.native_id}" id="comment_post_ID" />'
        '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Kirim Komentar" /></p>'
        "</form></div></div>"
    )


def numbered_comment_pager(site: WordPressSite, post: Post, page: int) -> str:
    """``paginate_comments_links()``: previous, every page number, next ("" unpaged)."""
    pages = site.comment_page_count(post)
    if pages < 2:
        return ""
    links = []
    if page > 1:
        links.append(
            f'<a class="prev page-numbers" href="{_e(site.comment_page_url(post, page - 1))}#comments">&laquo; Sebelumnya</a>'
        )
    for n in range(1, pages + 1):
        if n == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            links.append(
                f'<a class="page-numbers" href="{_e(site.comment_page_url(post, n))}#comments">{n}</a>'
            )
    if page < pages:
        links.append(
            f'<a class="next page-numbers" href="{_e(site.comment_page_url(post, page + 1))}#comments">Berikutnya &raquo;</a>'
        )
    return f'<div class="comments-pagination pagination">{"".join(links)}</div>'


def _nav(site: WordPressSite, post: Post) -> str:
    posts = site.posts_desc()
    i = posts.index(post)
    parts = []
    if i + 1 < len(posts):
        prev = posts[i + 1]
        parts.append(
            f'<a class="previous-post" href="{_e(site.post_url(prev))}"><span class="title">{_e(prev.title)}</span></a>'
        )
    if i > 0:
        nxt = posts[i - 1]
        parts.append(
            f'<a class="next-post" href="{_e(site.post_url(nxt))}"><span class="title">{_e(nxt.title)}</span></a>'
        )
    return f'<nav class="pagination-single section-inner" aria-label="Pos"><div class="pagination-single-inner">{"".join(parts)}</div></nav>'


def post_page(site: WordPressSite, post: Post, page: int, comments: str | None = None) -> str:
    """A post page showing comment page ``page``; ``comments`` replaces the theme's own
    comment section (a theme that lists comments its own way)."""
    section = comments if comments is not None else comments_section(site, post, page)
    main = _article(site, post, full=True) + _nav(site, post) + section
    classes = (
        f"post-template-default single single-post postid-{post.native_id} single-format-standard"
    )
    # WordPress's rel=canonical names the comment page being shown.
    canonical = site.comment_page_url(post, page)
    return _frame(site, f"{post.title} \u2013 {site.blog.title}", canonical, main, post, classes)


def listing_page(
    site: WordPressSite, posts: list[Post], *, page: int, pages: int, base: str
) -> str:
    articles = "\n".join(_article(site, p, full=False) for p in posts)
    links = []
    if page > 1:
        prev = base if page == 2 else f"{base}page/{page - 1}/"
        links.append(
            f'<a class="prev page-numbers" href="{site.url(prev)}">&larr; Pos Lebih Baru</a>'
        )
    for n in range(1, pages + 1):
        href = site.url(base if n == 1 else f"{base}page/{n}/")
        if n == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            links.append(f'<a class="page-numbers" href="{href}">{n}</a>')
    if page < pages:
        links.append(
            f'<a class="next page-numbers" href="{site.url(f"{base}page/{page + 1}/")}">Pos Lebih Lama &rarr;</a>'
        )
    nav = f'<nav class="navigation pagination" aria-label="Pos"><div class="nav-links">{"".join(links)}</div></nav>'
    canonical = site.url(base if page == 1 else f"{base}page/{page}/")
    title = site.blog.title + (f" \u2013 Halaman {page}" if page > 1 else "")
    return _frame(
        site, title, canonical, articles + nav, None, "home blog" if base == "/" else "archive"
    )


def not_found_page(site: WordPressSite) -> str:
    main = (
        '<div class="section-inner thin error404-content"><h1 class="entry-title">Halaman Tidak Ditemukan</h1>'
        '<div class="intro-text"><p>Halaman yang Anda cari tidak dapat ditemukan.</p></div></div>'
    )
    return _frame(
        site,
        f"Halaman tidak ditemukan \u2013 {site.blog.title}",
        site.url("/"),
        main,
        None,
        "error404",
    )
