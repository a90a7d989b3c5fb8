<?xml version="1.0" encoding="UTF-8"?>
<!-- Renders a feedbot Atom feed as a readable Korean page when it is opened in a browser.
     XSLT 1.0, so every browser (and lxml) can apply it; no scripts, no outside resources. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:media="http://search.yahoo.com/mrss/"
    exclude-result-prefixes="atom media">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <xsl:template match="/atom:feed">
    <html lang="ko">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> · feedbot</title>
        <style>
          body { font-family: system-ui, "Apple SD Gothic Neo", "Noto Sans KR", sans-serif;
                 max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6;
                 color: #1d1d1f; }
          .note { background: #fff7e6; border: 1px solid #f0c36d; padding: .6rem .9rem;
                  border-radius: .4rem; font-size: .95rem; }
          code { background: #f2f2f2; padding: .1rem .3rem; word-break: break-all; }
          article { border-top: 1px solid #ddd; padding: .6rem 0; }
          article h2 { font-size: 1.1rem; margin: .2rem 0; }
          .meta { color: #666; font-size: .85rem; }
          .tag { display: inline-block; background: #eef2ff; color: #334; border-radius: .3rem;
                 padding: 0 .4rem; margin-right: .3rem; font-size: .8rem; }
          img.thumb { float: right; width: 8rem; margin: 0 0 .5rem .8rem; border-radius: .3rem; }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="atom:title"/></h1>
        <p><xsl:value-of select="atom:subtitle"/></p>
        <p class="note">이 페이지는 <strong>Atom 피드</strong>입니다. 피드 리더에 아래 주소를 넣어
          구독하세요: <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
        <p class="meta">마지막 갱신
          <xsl:value-of select="translate(substring(atom:updated, 1, 16), 'T', ' ')"/> (KST) ·
          기사 <xsl:value-of select="count(atom:entry)"/>건 ·
          <a href="{atom:link[@rel='alternate']/@href}">팩플 섹션</a></p>
        <xsl:apply-templates select="atom:entry"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article>
      <xsl:if test="media:thumbnail/@url">
        <img class="thumb" src="{media:thumbnail/@url}" alt="" loading="lazy"
             referrerpolicy="no-referrer"/>
      </xsl:if>
      <h2><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta">
        <xsl:value-of select="translate(substring(atom:published, 1, 16), 'T', ' ')"/>
        <xsl:for-each select="atom:author">
          · <xsl:value-of select="atom:name"/>
        </xsl:for-each>
      </p>
      <p><xsl:value-of select="atom:summary"/></p>
      <p>
        <xsl:for-each select="atom:category[@scheme='tag:feedbot,2026:topics']">
          <span class="tag"><xsl:value-of select="@label"/></span>
        </xsl:for-each>
      </p>
    </article>
  </xsl:template>
</xsl:stylesheet>
