"""Blogger HTML in two templates: a modern Contempo-like layout and the classic Minima one.

Markup follows the stock Blog widget includables (see research notes, crawl-anchors 4.2):
modern posts carry ``time.published[datetime]`` and threaded comments
(``div.comment-thread`` > ``li.comment#c<ID>``, replies in ``div.comment-replies``);
classic posts carry ``abbr.published[title]`` and ``dl#comments-block``. Both keep the
noise real pages have: navbar, share buttons, "Postingan Populer" with other posts'
dates, archive and label widgets, scripts and a footer.
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from .body import body_html, excerpt
from .localefmt import BULAN, MONTHS, blogger_comment_time, clock, comments_label, long_date
from .model import Comment, Post
from .responses import Request, Response, html

if TYPE_CHECKING:
    from .blogger import BloggerSite

WORDS = {
    "id": {
        "by": "oleh",
        "posted_by": "Diposting oleh",
        "at": "di",
        "labels": "Label",
        "share": "Bagikan",
        "popular": "Postingan Populer",
        "archive": "Arsip Blog",
        "newer": "Posting Lebih Baru",
        "older": "Posting Lama",
        "home": "Beranda",
        "reply": "Balas",
        "delete": "Hapus",
        "add": "Tambahkan komentar",
        "more": "Muat yang lain...",
        "said": "mengatakan...",
        "post_comment": "Posting Komentar",
        "read_more": "Baca selengkapnya",
        "subscribe": "Langganan",
        "post_comments_atom": "Posting Komentar (Atom)",
        "powered": "Diberdayakan oleh",
        "report": "Laporkan Penyalahgunaan",
        "about": "Mengenai Saya",
        "replies": "Balasan",
        "no_comments": "Tidak ada komentar:",
        "not_found": "Maaf, halaman yang Anda cari di blog ini tidak ada.",
        "label_of": "Postingan dengan label",
        "showing": "Menampilkan postingan dari",
    },
    "en": {
        "by": "by",
        "posted_by": "Posted by",
        "at": "at",
        "labels": "Labels",
        "share": "Share",
        "popular": "Popular Posts",
        "archive": "Blog Archive",
        "newer": "Newer Post",
        "older": "Older Post",
        "home": "Home",
        "reply": "Reply",
        "delete": "Delete",
        "add": "Add comment",
        "more": "Load more...",
        "said": "said...",
        "post_comment": "Post a Comment",
        "read_more": "Read more",
        "subscribe": "Subscribe to",
        "post_comments_atom": "Post Comments (Atom)",
        "powered": "Powered by",
        "report": "Report Abuse",
        "about": "About Me",
        "replies": "Replies",
        "no_comments": "No comments:",
        "not_found": "Sorry, the page you were looking for in this blog does not exist.",
        "label_of": "Showing posts with the label",
        "showing": "Showing posts from",
    },
}


# the non-threaded template's comment pager: oldest, older, newer, newest
COMMENT_PAGING = {
    "id": ("&#171; Terlama", "Lebih lama", "Lebih baru", "Terbaru &#187;"),
    "en": ("&#171; Oldest", "Older", "Newer", "Newest &#187;"),
}


def _w(site: BloggerSite, key: str) -> str:
    return WORDS[site.language if site.language in WORDS else "id"][key]


def _e(value: str) -> str:
    return escape(value, quote=True)


def _lines(value: str) -> str:
    """Comment text as Blogger prints it: escaped, one <br/> per line break."""
    return escape(value, quote=False).replace("\n", "<br/>")


def _abs(site: BloggerSite, src: str) -> str:
    return site.url(src) if src.startswith("/") else src


# -- page frame ------------------------------------------------------------------------------


def _head(site: BloggerSite, title: str, canonical: str, post: Post | None) -> str:
    blog = site.blog
    extra = ""
    feeds = ""
    if site.settings.post_feed_on:
        feeds = (
            f'<link rel="alternate" type="application/atom+xml" title="{_e(blog.title)} - Atom" href="{site.url("/feeds/posts/default")}" />\n'
            f'<link rel="alternate" type="application/rss+xml" title="{_e(blog.title)} - RSS" href="{site.url("/feeds/posts/default?alt=rss")}" />\n'
        )
    if post is not None:
        if site.settings.comment_feeds_on:
            extra = (
                f'<link rel="alternate" type="application/atom+xml" title="{_e(blog.title)} - Atom" '
                f'href="{site.url(f"/feeds/{post.native_id}/comments/default")}" />\n'
            )
        extra += (
            f"<meta content='{_e(canonical)}' property='og:url'/>\n"
            f"<meta content='{_e(post.title)}' property='og:title'/>\n"
            f"<meta content='{_e(excerpt(post, 25))}' property='og:description'/>\n"
        )
        if post.images:
            extra += f"<meta content='{_e(_abs(site, post.images[0].src))}' property='og:image'/>\n"
    modern = blog.template != "blogger-classic"
    doctype = (
        "<!DOCTYPE html>\n<html class='v2' dir='ltr' lang='" + site.language + "'>"
        if modern
        else '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        "<html dir='ltr' xmlns='http://www.w3.org/1999/xhtml' "
        "xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' "
        "xmlns:expr='http://www.google.com/2005/gml/expr'>"
    )
    return f"""{doctype}
<head>
<meta content='width=device-width, initial-scale=1' name='viewport'/>
<title>{_e(title)}</title>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{site.url("/favicon.ico")}' rel='icon' type='image/x-icon'/>
<link href='{_e(canonical)}' rel='canonical'/>
{feeds}<link rel="service.post" type="application/atom+xml" title="{_e(blog.title)} - Atom" href="https://www.blogger.com/feeds/{blog.native_id}/posts/default" />
<link rel="me" href="https://www.blogger.com/profile/{blog.native_id % 10**15}" />
{extra}<style type='text/css'>body{{font:15px Roboto,sans-serif;color:#212121;background:#eee}}
.post-body{{line-height:1.6}} .sidebar-container{{max-width:300px}} </style>
<script type='text/javascript'>(function(){{var a=window;a._gaq=a._gaq||[];}})();</script>
</head>"""


def _navbar(site: BloggerSite) -> str:
    return (
        "<div class='navbar no-items section' id='navbar' name='Navbar'></div>\n"
        f"<div class='share-button sub-menu-button' id='share-{site.blog.native_id % 10**6}'>"
        f"<span class='share-button-link-text'>{_w(site, 'share')}</span></div>"
    )


def _header(site: BloggerSite) -> str:
    blog = site.blog
    return (
        "<header class='centered-top-container' role='banner'><div class='centered-top'>"
        "<div class='blog-name container'><div class='section' id='header' name='Header'>"
        "<div class='widget Header' data-version='2' id='Header1'><div class='header-widget'>"
        f"<div><h1><a href='{site.url('/')}'>{_e(blog.title)}</a></h1></div>"
        f"<p class='description'>{_e(blog.owner)}</p></div></div></div></div>"
        "<nav role='navigation'><div class='widget PageList' id='PageList1'><ul>"
        f"<li><a href='{site.url('/')}'>{_w(site, 'home')}</a></li>"
        f"<li><a href='{site.url('/p/tentang.html')}'>Tentang</a></li>"
        f"<li><a href='{site.url('/p/kontak.html')}'>Kontak</a></li></ul></div></nav>"
        "</div></header>"
    )


def _popular(site: BloggerSite, current: Post | None) -> str:
    candidates = [p for p in site.posts_desc() if p is not current]
    # "popular" = most commented, as the widget tends to show
    top = sorted(candidates, key=lambda p: (-len(p.comments), p.slug))[:4]
    items = []
    for p in top:
        items.append(
            "<div class='post'><div class='post-content'>"
            f"<a class='post-content-link' href='{_e(site.post_url(p))}'>"
            f"<h3 class='post-title'>{_e(p.title)}</h3></a>"
            f"<div class='post-header'><span class='byline post-timestamp'>"
            f"<time class='published' datetime='{p.published.isoformat()}'>"
            f"{_e(long_date(p.published, site.language))}</time></span></div>"
            f"<div class='item-content'><p class='snippet-item'>{_e(excerpt(p, 18))}</p></div>"
            "</div></div>"
        )
    return (
        "<div class='widget PopularPosts' data-version='2' id='PopularPosts1'>"
        f"<h3 class='title'>{_w(site, 'popular')}</h3><div class='widget-content'>"
        + "\n".join(items)
        + "</div></div>"
    )


def _archive_widget(site: BloggerSite) -> str:
    months: dict[int, dict[int, int]] = {}
    for p in site.blog.posts:
        months.setdefault(p.published.year, {}).setdefault(p.published.month, 0)
        months[p.published.year][p.published.month] += 1
    names = MONTHS if site.language == "en" else BULAN
    out = []
    for year in sorted(months, reverse=True):
        inner = "".join(
            f"<li class='archivedate'><a class='post-count-link' href='{site.url(f'/{year}/{m:02d}/')}'>"
            f"{names[m - 1]}</a><span class='post-count' dir='ltr'>({n})</span></li>"
            for m, n in sorted(months[year].items(), reverse=True)
        )
        total = sum(months[year].values())
        out.append(
            f"<li class='archivedate expanded'><a class='post-count-link' href='{site.url(f'/{year}/')}'>"
            f"{year}</a><span class='post-count' dir='ltr'>({total})</span>"
            f"<ul class='hierarchy'>{inner}</ul></li>"
        )
    return (
        "<div class='widget BlogArchive' data-version='2' id='BlogArchive1'>"
        f"<h3 class='title'>{_w(site, 'archive')}</h3><div class='widget-content'>"
        f"<div id='ArchiveList'><div id='BlogArchive1_ArchiveList'><ul class='hierarchy'>"
        + "".join(out)
        + "</ul></div></div></div></div>"
    )


def _labels_widget(site: BloggerSite) -> str:
    items = "".join(
        f"<li><a class='label-name' href='{_e(site.label_url(name))}'>{_e(name)}"
        f"<span class='label-count'>({n})</span></a></li>"
        for name, n in site.labels().items()
    )
    return (
        "<div class='widget Label' data-version='2' id='Label1'>"
        f"<h3 class='title'>{_w(site, 'labels')}</h3><div class='widget-content list-label-widget-content'>"
        f"<ul>{items}</ul></div></div>"
    )


def _sidebar(site: BloggerSite, current: Post | None) -> str:
    blog = site.blog
    return (
        "<aside class='sidebar-container container' role='complementary'>"
        "<div class='sidebar section' id='sidebar'>"
        f"<div class='widget Profile' id='Profile1'><h3 class='title'>{_w(site, 'about')}</h3>"
        f"<div class='widget-content'><a class='profile-name-link g-profile' "
        f"href='{site.profile_url(blog.owner)}'>{_e(blog.owner)}</a></div></div>"
        + _popular(site, current)
        + _archive_widget(site)
        + _labels_widget(site)
        + "<div class='widget ReportAbuse' id='ReportAbuse1'>"
        f"<h3 class='title'><a class='report_abuse' href='https://www.blogger.com/go/report-abuse'>"
        f"{_w(site, 'report')}</a></h3></div>"
        "</div></aside>"
    )


def _footer(site: BloggerSite) -> str:
    blog = site.blog
    init = json.dumps({"blogId": str(blog.native_id), "language": site.language})
    years = sorted({p.published.year for p in blog.posts}) or [2020]
    span = f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    return (
        "<footer class='footer section' id='footer'><div class='widget Attribution' id='Attribution1'>"
        f"<div class='copyright'>&#169; {span} {_e(blog.title)}</div>"
        f"<div class='blogger'>{_w(site, 'powered')} <a href='https://www.blogger.com' "
        "rel='nofollow'>Blogger</a></div></div></footer>\n"
        "<script type='text/javascript' src='https://www.blogger.com/static/v1/widgets/widgets.js'></script>\n"
        f"<script type='text/javascript'>window['__wavt'] = 'AOuZoY';_WidgetManager._Init("
        f"'//www.blogger.com/rearrange?blogID={blog.native_id}', '//{site.host}/', {init});</script>"
    )


def _page(site: BloggerSite, title: str, canonical: str, main: str, current: Post | None) -> str:
    if site.blog.template == "blogger-classic":
        return (
            _head(site, title, canonical, current)
            + "\n<body><div class='navbar section' id='navbar'></div>\n<div id='outer-wrapper'><div id='wrap2'>"
            f"<div id='header-wrapper'><div class='header section' id='header'>"
            f"<div class='widget Header' id='Header1'><div id='header-inner'><div class='titlewrapper'>"
            f"<h1 class='title'><a href='{site.url('/')}'>{_e(site.blog.title)}</a></h1></div>"
            f"<div class='descriptionwrapper'><p class='description'><span>{_e(site.blog.owner)}</span></p>"
            "</div></div></div></div></div>\n<div id='content-wrapper'>"
            f"<div id='main-wrapper'><div class='main section' id='main'>{main}</div></div>\n"
            f"<div id='sidebar-wrapper'>{_sidebar(site, current)}</div>\n"
            "<div style='clear: both'></div></div>\n"
            f"<div id='footer-wrapper'>{_footer(site)}</div></div></div></body>\n</html>\n"
        )
    return (
        _head(site, title, canonical, current)
        + "\n<body class='version-1-3-3 variant-indie_light'>\n"
        + _navbar(site)
        + "\n<div class='page'><div class='bg-photo-overlay'></div><div class='centered'>\n"
        + _header(site)
        + f"\n<main class='centered-bottom' id='main' role='main' tabindex='-1'>{main}</main>\n"
        + _sidebar(site, current)
        + "\n"
        + _footer(site)
        + "\n</div></div></body>\n</html>\n"
    )


# -- posts -----------------------------------------------------------------------------------


def _share(site: BloggerSite, url: str) -> str:
    u = quote(url, safe="")
    return (
        "<div class='byline post-share-buttons goog-inline-block'>"
        f"<a class='goog-inline-block share-button sb-email' href='https://www.blogger.com/share-post.g?blogID={site.blog.native_id}&amp;target=email' target='_blank' title='Email This'><span class='share-button-link-text'>Email This</span></a>"
        f"<a class='goog-inline-block share-button sb-twitter' href='https://twitter.com/intent/tweet?url={u}' target='_blank' title='Share to X'><span class='share-button-link-text'>Share to X</span></a>"
        f"<a class='goog-inline-block share-button sb-facebook' href='https://www.facebook.com/sharer/sharer.php?u={u}' target='_blank' title='Share to Facebook'><span class='share-button-link-text'>Share to Facebook</span></a>"
        f"<a class='goog-inline-block share-button sb-whatsapp' href='https://api.whatsapp.com/send?text={u}' target='_blank'><span class='share-button-link-text'>WhatsApp</span></a>"
        "</div>"
    )


def _labels_line(site: BloggerSite, post: Post) -> str:
    if not post.labels:
        return ""
    links = ", ".join(
        f"<a href='{_e(site.label_url(x))}' rel='tag'>{_e(x)}</a>" for x in post.labels
    )
    if site.blog.template == "blogger-classic":
        return f"<span class='post-labels'>{_w(site, 'labels')}: {links}</span>"
    return f"<span class='byline post-labels'><span class='byline-label'>{_w(site, 'labels')}:</span> {links}</span>"


def _ld_json(site: BloggerSite, post: Post) -> str:
    data = {
        "@context": "http://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@type": "WebPage", "@id": site.post_url(post)},
        "headline": post.title,
        "datePublished": post.published.isoformat(),
        "dateModified": post.updated.isoformat(),
        "author": {"@type": "Person", "name": post.author or site.blog.owner},
        "publisher": {"@type": "Organization", "name": "Blogger"},
    }
    if post.images:
        data["image"] = {"@type": "ImageObject", "url": _abs(site, post.images[0].src)}
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f"<script type='application/ld+json'>{payload}</script>"


def _modern_post(site: BloggerSite, post: Post, *, full: bool) -> str:
    purl = site.post_url(post)
    author = post.author or site.blog.owner
    stamp = post.published.isoformat()
    date_text = long_date(post.published, site.language)
    if full:
        body = (
            f"<div class='post-body-container'><div class='post-body entry-content float-container' "
            f"id='post-body-{post.native_id}'>\n{body_html(post, language=site.language)}\n</div></div>"
        )
        title = f"<h3 class='post-title entry-title'>{_e(post.title)}</h3>"
    else:
        body = (
            f"<div class='container post-body entry-content' id='post-snippet-{post.native_id}'>"
            f"<div class='post-snippet snippet-container r-snippet-container'>"
            f"<div class='snippet-item r-snippetized'>{_e(excerpt(post, 45))}</div></div></div>"
            f"<div class='jump-link flat-button'><a href='{_e(purl)}' title='{_e(post.title)}'>"
            f"{_w(site, 'read_more')}</a></div>"
        )
        title = f"<h3 class='post-title entry-title'><a href='{_e(purl)}'>{_e(post.title)}</a></h3>"
    ncom = len(post.comments)
    return f"""<div class='post-outer-container'><div class='post-outer'>
<div class='post'>
{_ld_json(site, post) if full else ""}
<a name='{post.native_id}'></a>
<h2 class='date-header'><span>{_e(date_text)}</span></h2>
{title}
<div class='post-header'><div class='post-header-line-1'>
<span class='byline post-author vcard'><span class='byline-label'>{_w(site, "by")}</span>
<span class='fn'><meta content='{site.profile_url(author)}'/><a class='g-profile' href='{site.profile_url(author)}' rel='author' title='author profile'><span>{_e(author)}</span></a></span></span>
<span class='byline post-timestamp'><meta content='{_e(purl)}'/><a class='timestamp-link' href='{_e(purl)}' rel='bookmark' title='permanent link'><time class='published' datetime='{stamp}' title='{stamp}'>{_e(date_text)}</time></a></span>
</div></div>
{body}
<div class='post-footer'><div class='post-footer-line post-footer-line-1'>
<span class='byline post-comment-link container'><a class='comment-link' href='{_e(purl)}#comments'>{comments_label(ncom, site.language)}</a></span>
{_share(site, purl)}</div>
<div class='post-footer-line post-footer-line-2'>{_labels_line(site, post)}</div></div>
</div></div></div>"""


def _classic_post(site: BloggerSite, post: Post) -> str:
    purl = site.post_url(post)
    author = post.author or site.blog.owner
    stamp = post.published.isoformat()
    return f"""<div class='post-outer'>
<div class='post hentry uncustomized-post-template'>
<a name='{post.native_id}'></a>
<h3 class='post-title entry-title'><a href='{_e(purl)}'>{_e(post.title)}</a></h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-{post.native_id}'>
{body_html(post, language=site.language)}
<div style='clear: both;'></div>
</div>
<div class='post-footer'><div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>{_w(site, "posted_by")} <span class='fn'>{_e(author)}</span></span>
<span class='post-timestamp'>{_w(site, "at")} <a class='timestamp-link' href='{_e(purl)}' rel='bookmark' title='permanent link'><abbr class='published' title='{stamp}'>{clock(post.published, site.language)}</abbr></a></span>
<span class='post-comment-link'><a class='comment-link' href='{_e(purl)}#comment-form'>{comments_label(len(post.comments), site.language)}</a></span>
<span class='post-icons'><span class='item-control blog-admin pid-{post.native_id % 10**9}'><a href='https://www.blogger.com/post-edit.g?blogID={site.blog.native_id}&amp;postID={post.native_id}' title='Edit Entri'><img alt='' class='icon-action' height='18' src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif' width='18'/></a></span></span>
{_share(site, purl)}
</div>
<div class='post-footer-line post-footer-line-2'>{_labels_line(site, post)}</div>
<div class='post-footer-line post-footer-line-3'><span class='post-location'></span></div>
</div></div></div>"""


# -- comments --------------------------------------------------------------------------------


def _modern_comment(site: BloggerSite, post: Post, c: Comment, replies: list[Comment]) -> str:
    cid = c.native_id
    name = site.author_name(c)
    if c.author:
        cite = f"<cite class='user'><a href='{site.profile_url(c.author)}' rel='nofollow'>{_e(name)}</a></cite>"
    else:
        cite = f"<cite class='user'>{_e(name)}</cite>"
    klass = "comment-content deleted" if c.deleted else "comment-content"
    inner = (
        f"<div class='avatar-image-container'><img src='//resources.blogblog.com/img/blank.gif' alt=''/></div>"
        f"<div class='comment-block'><div class='comment-header'>{cite}<span class='icon user'></span>"
        f"<span class='datetime secondary-text'><a rel='nofollow' href='{_e(site.comment_url(post, c))}'>"
        f"{_e(blogger_comment_time(c.published, site.language))}</a></span></div>"
        f"<p class='{klass}'>{_lines(site.comment_text(c))}</p>"
        f"<span class='comment-actions secondary-text'><a class='comment-reply' target='_self' data-comment-id='{cid}'>{_w(site, 'reply')}</a>"
        f"<span class='item-control blog-admin blog-admin pid-{cid % 10**9}'><a target='_self' "
        f"href='https://www.blogger.com/comment/delete/{site.blog.native_id}/{cid}'>{_w(site, 'delete')}</a></span></span></div>"
    )
    thread = ""
    if replies:
        items = "".join(f"<div>{_modern_comment(site, post, r, [])}</div>" for r in replies)
        thread = (
            f"<div class='comment-replies'><div id='c{cid}-rt' class='comment-thread inline-thread'>"
            f"<span class='thread-toggle thread-expanded'><span class='thread-arrow'></span>"
            f"<span class='thread-count'><a target='_self'>{_w(site, 'replies')}</a></span></span>"
            f"<ol id='c{cid}-ra' class='thread-chrome thread-expanded'>{items}"
            f"<div id='c{cid}-continue' class='continue'><a class='comment-reply' target='_self' data-comment-id='{cid}'>{_w(site, 'reply')}</a></div>"
            "</ol></div></div>"
        )
    return f"<li class='comment' id='c{cid}'>{inner}{thread}<div class='comment-replybox-single' id='c{cid}-ce'></div></li>"


def _modern_comments(site: BloggerSite, post: Post) -> str:
    n = len(post.comments)
    threads = "".join(_modern_comment(site, post, top, rs) for top, rs in site.threads(post))
    return f"""<section class='comments threaded' data-embed='true' data-num-comments='{n}' id='comments'>
<a name='comments'></a>
<h3 class='title'>{comments_label(n, site.language)}:</h3>
<div class='comments-content'>
<div id='comment-holder'>
<div class="comment-thread toplevel-thread"><ol id="top-ra">{threads}</ol>
<div id="top-continue" class="continue"><a class="comment-reply" target="_self">{_w(site, "add")}</a></div>
<div class="comment-replybox-thread" id="top-ce"></div>
<div class="loadmore hidden" data-post-id="{post.native_id}"><a target="_self">{_w(site, "more")}</a></div></div>
</div></div>
<p class='comment-footer'><div class='comment-form'><a name='comment-form'></a>
<h4 id='comment-post-message'>{_w(site, "post_comment")}</h4>
<a href='https://www.blogger.com/comment/frame/{site.blog.native_id}?po={post.native_id}&amp;hl={site.language}' id='comment-editor-src'></a>
<iframe allowtransparency='allowtransparency' class='blogger-iframe-colorize blogger-comment-from-post' frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>
</div></p>
<script type='text/javascript'>BLOG_CMT_createIframe('https://www.blogger.com/rpc_relay.html');</script>
</section>"""


def _comment_pager(site: BloggerSite, post: Post, page: int, pages: int) -> str:
    """The non-threaded template's comment paging (``data:post.commentPagingRequired``)."""
    if pages <= 1:
        return ""
    words = COMMENT_PAGING[site.language if site.language in COMMENT_PAGING else "id"]
    purl = site.post_url(post)

    def link(n: int, label: str) -> str:
        return f"<a class='paging-control' href='{_e(purl)}?commentPage={n}'>{label}</a>"

    older = link(page - 1, words[1]) if page > 1 else words[1]
    newer = link(page + 1, words[2]) if page < pages else words[2]
    return (
        "<span class='paging-control-container'>"
        f"{link(1, words[0])} &#8249; {older} &#183; {newer} &#8250; {link(pages, words[3])}"
        "</span>"
    )


def classic_comment_pages(site: BloggerSite, post: Post) -> int:
    size = site.settings.comments_per_page
    return max(1, -(-len(post.comments) // size))


def _classic_comments(site: BloggerSite, post: Post, page: int = 1) -> str:
    n = len(post.comments)
    size = site.settings.comments_per_page
    pages = classic_comment_pages(site, post)
    page = max(1, min(page, pages))
    shown = site.comments_asc(post)[(page - 1) * size : page * size]
    pager = _comment_pager(site, post, page, pages)
    rows = []
    for c in shown:
        cid = c.native_id
        name = site.author_name(c)
        who = (
            f"<a href='{site.profile_url(c.author)}' rel='nofollow'>{_e(name)}</a>"
            if c.author
            else _e(name)
        )
        body = (
            f"<span class='deleted-comment'>{_e(site.comment_text(c))}</span>"
            if c.deleted
            else _lines(c.text)
        )
        rows.append(
            f"<dt class='comment-author blogger-comment-icon' id='c{cid}'><a name='c{cid}'></a>"
            f"{who} {_w(site, 'said')}</dt>\n"
            f"<dd class='comment-body' id='Blog1_cmt-{cid}'><p>{body}</p></dd>\n"
            f"<dd class='comment-footer'><span class='comment-timestamp'>"
            f"<a href='{_e(site.comment_url(post, c))}' title='comment permalink'>"
            f"{_e(blogger_comment_time(c.published, site.language))}</a></span>"
            f"<span class='item-control blog-admin pid-{cid % 10**9}'>"
            f"<a class='comment-delete' href='https://www.blogger.com/comment/delete/{site.blog.native_id}/{cid}' title='{_w(site, 'delete')}'>"
            "<img src='https://resources.blogblog.com/img/icon_delete13.gif'/></a></span></dd>"
        )
    heading = comments_label(n, site.language) + ":" if n else _w(site, "no_comments")
    feed_links = ""
    if site.settings.comment_feeds_on:
        feed_links = f"""
<div class='post-feeds'><div class='feed-links'>{_w(site, "subscribe")}: <a class='feed-link' href='{site.url(f"/feeds/{post.native_id}/comments/default")}' target='_blank' type='application/atom+xml'>{_w(site, "post_comments_atom")}</a></div></div>"""
    return f"""<div class='comments' id='comments'>
<a name='comments'></a>
<h4>{heading}</h4>
{pager}
<div id='Blog1_comments-block-wrapper'>
<dl class='avatar-comment-indent' id='comments-block'>
{"".join(rows)}
</dl></div>
{pager}
<p class='comment-footer'><a href='https://www.blogger.com/comment/fullpage/post/{site.blog.native_id}/{post.native_id}' onclick=''>{_w(site, "post_comment")}</a></p>
</div>{feed_links}"""


def _pager(site: BloggerSite, newer: str | None, older: str | None) -> str:
    parts = ["<div class='blog-pager' id='blog-pager'>"]
    if newer:
        parts.append(
            f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='{_e(newer)}' "
            f"id='Blog1_blog-pager-newer-link' title='{_w(site, 'newer')}'>{_w(site, 'newer')}</a></span>"
        )
    if older:
        parts.append(
            f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{_e(older)}' "
            f"id='Blog1_blog-pager-older-link' title='{_w(site, 'older')}'>{_w(site, 'older')}</a></span>"
        )
    parts.append(f"<a class='home-link' href='{site.url('/')}'>{_w(site, 'home')}</a></div>")
    return "".join(parts)


def post_response(site: BloggerSite, post: Post, request: Request) -> Response:
    """A post page; the non-threaded template takes ``?commentPage=N``."""
    page = request.int_arg("commentPage", 1, 1)
    return html(post_page(site, post, page), last_modified=site.post_last_modified(post))


def post_page(site: BloggerSite, post: Post, comment_page: int = 1) -> str:
    posts = site.posts_desc()
    i = posts.index(post)
    newer = site.post_url(posts[i - 1]) if i > 0 else None
    older = site.post_url(posts[i + 1]) if i + 1 < len(posts) else None
    classic = site.blog.template == "blogger-classic"
    if classic:
        article = (
            "<div class='widget Blog' data-version='1' id='Blog1'><div class='blog-posts hfeed'>"
            f"<div class='date-outer'><h2 class='date-header'><span>{_e(long_date(post.published, site.language))}</span></h2>"
            f"<div class='date-posts'>{_classic_post(site, post)}{_classic_comments(site, post, comment_page)}</div></div>"
            f"</div>{_pager(site, newer, older)}</div>"
        )
        title = f"{site.blog.title}: {post.title}"
    else:
        article = (
            "<div class='main section' id='page_body' name='Badan Halaman'>"
            "<div class='widget Blog' data-version='2' id='Blog1'><div class='blog-posts hfeed container'>"
            f"<article class='post-outer-container'>{_modern_post(site, post, full=True)}"
            f"{_modern_comments(site, post)}</article></div>{_pager(site, newer, older)}</div></div>"
        )
        title = post.title
    return _page(site, title, site.post_url(post), article, post)


def listing_page(site: BloggerSite, posts: list[Post], *, kind: str, request: Request) -> Response:
    """Home, archive, label and search pages: a window of posts plus an "older" pager."""
    settings = site.settings
    default = settings.posts_per_page if kind in ("home", "search") else settings.archive_page_size
    size = request.int_arg("max-results", default, 1, 50)
    window = posts[:size]
    older = None
    if len(posts) > size:
        cutoff = window[-1].published.isoformat()
        older = site.url(f"/search?updated-max={quote(cutoff)}&max-results={size}")
        if kind == "label":
            label = request.path.removeprefix("/search/label/")
            older = site.url(
                f"/search/label/{label}?updated-max={quote(cutoff)}&max-results={size}"
            )
    classic = site.blog.template == "blogger-classic"
    status = ""
    if kind == "label":
        label = request.path.removeprefix("/search/label/")
        status = f"<div class='status-msg-wrap'><div class='status-msg-body'>{_w(site, 'label_of')} <b>{_e(label)}</b>.</div></div>"
    elif kind == "archive":
        status = f"<div class='status-msg-wrap'><div class='status-msg-body'>{_w(site, 'showing')} {_e(request.path.strip('/'))}</div></div>"
    if classic:
        groups = []
        for p in window:
            groups.append(
                f"<div class='date-outer'><h2 class='date-header'><span>{_e(long_date(p.published, site.language))}</span></h2>"
                f"<div class='date-posts'>{_classic_post(site, p)}</div></div>"
            )
        main = (
            f"<div class='widget Blog' data-version='1' id='Blog1'>{status}<div class='blog-posts hfeed'>"
            + "\n".join(groups)
            + f"</div>{_pager(site, None, older)}</div>"
        )
    else:
        main = (
            f"<div class='widget Blog' data-version='2' id='Blog1'>{status}<div class='blog-posts hfeed container'>"
            + "\n".join(_modern_post(site, p, full=False) for p in window)
            + f"</div>{_pager(site, None, older)}</div>"
        )
    canonical = site.url(request.path)
    last = max((site.post_last_modified(p) for p in window), default=site.last_modified())
    return html(_page(site, site.blog.title, canonical, main, None), last_modified=last)


def error_page(site: BloggerSite) -> Response:
    main = (
        "<div class='widget Blog' id='Blog1'><div class='status-msg-wrap'>"
        f"<div class='status-msg-body'>{_w(site, 'not_found')}</div></div></div>"
    )
    return html(_page(site, site.blog.title, site.url("/"), main, None), status=404)


def static_page(site: BloggerSite, path: str) -> Response:
    """The blog's static pages (/p/tentang.html, /p/kontak.html): owner text, no date."""
    name = path.removeprefix("/p/").removesuffix(".html")
    if name not in ("tentang", "kontak"):
        return error_page(site)
    heading = "Tentang" if name == "tentang" else "Kontak"
    body = (
        f"Blog ini ditulis oleh {_e(site.blog.owner)}."
        if name == "tentang"
        else "Silakan tinggalkan pesan melalui kolom komentar."
    )
    main = (
        "<div class='widget Blog' id='Blog1'><div class='post-outer'><div class='post'>"
        f"<h3 class='post-title entry-title'>{heading}</h3>"
        f"<div class='post-body entry-content'><p>{body}</p></div></div></div></div>"
    )
    return html(_page(site, f"{site.blog.title}: {heading}", site.url(path), main, None))
