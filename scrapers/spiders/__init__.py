"""Spiders by source kind (``sources.toml`` ``kind``)."""

from __future__ import annotations


def spider_for(kind: str) -> type:
    from scrapers.spiders.blogger import BloggerSpider
    from scrapers.spiders.news import NewsSpider
    from scrapers.spiders.wordpress import WordPressSpider

    table = {"blogger": BloggerSpider, "wordpress": WordPressSpider, "news": NewsSpider}
    return table[kind]
