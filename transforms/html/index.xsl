<?xml version="1.0" encoding="UTF-8"?>
<!-- html/index.xsl: the home page: every document with the facts its teiHeader gives, then the registers. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:template name="index">
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="$site-title"/>
      <xsl:with-param name="nav-current" select="'index'"/>
      <xsl:with-param name="body-class" select="'home'"/>
      <xsl:with-param name="meta" as="element()*">
        <meta name="description" content="{$site-title}: {count($documents)} text(s) in a reading edition made from TEI P5."/>
        <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
        <meta name="DC.title" content="{$site-title}"/>
        <meta name="DC.type" content="Collection"/>
        <meta name="DC.format" content="text/html"/>
      </xsl:with-param>
      <xsl:with-param name="content">
        <div class="home-intro">
          <h1 id="~title"><xsl:value-of select="$site-title"/></h1>
          <xsl:variable name="project" select="($documents ! f:header(.)/tei:encodingDesc/tei:projectDesc)[1]"/>
          <xsl:for-each select="$project/tei:p">
            <p class="lede"><xsl:apply-templates mode="html-header-inline"/></p>
          </xsl:for-each>
        </div>
        <section class="doc-list" aria-labelledby="~texts">
          <h2 id="~texts">Texts</h2>
          <ol class="documents">
            <xsl:for-each select="$documents">
              <xsl:variable name="doc" select="."/>
              <xsl:variable name="h" select="f:header(.)"/>
              <xsl:variable name="notes" select="f:doc-notes(.)"/>
              <xsl:variable name="bibl" select="($h/tei:fileDesc/tei:sourceDesc/tei:bibl)[1]"/>
              <li class="doc-card" lang="{f:language(.)}">
                <h3><a href="{f:doc-href(.)}"><xsl:value-of select="f:title(.)"/></a></h3>
                <xsl:for-each select="f:subtitle(.)"><p class="subtitle"><xsl:value-of select="."/></p></xsl:for-each>
                <dl class="facts">
                  <xsl:variable name="authors" select="f:authors(.)"/>
                  <dt>Author</dt>
                  <dd><xsl:value-of select="if (exists($authors)) then f:join-names($authors) else (($bibl/tei:note[@type = 'author'])[1] ! f:norm(.), 'Not named')[1]"/></dd>
                  <xsl:for-each select="f:date(.)"><dt>Date</dt><dd><xsl:value-of select="."/></dd></xsl:for-each>
                  <xsl:for-each select="f:publisher(.)"><dt>Published by</dt><dd><xsl:value-of select="."/></dd></xsl:for-each>
                  <xsl:for-each select="($bibl/@type, f:description($doc))[1]"><dt>Kind</dt><dd><xsl:value-of select="replace(., '-', ' ')"/></dd></xsl:for-each>
                  <dt>Length</dt>
                  <dd><xsl:value-of select="format-number(f:doc-words(.), '#,##0')"/> words<xsl:if test="$notes"><xsl:value-of select="', ' || format-number($notes, '#,##0') || (if ($notes = 1) then ' note' else ' notes')"/></xsl:if></dd>
                </dl>
              </li>
            </xsl:for-each>
          </ol>
        </section>
        <xsl:if test="exists($f:register-pages) or $f:has-bibliography-page">
          <section class="register-list" aria-labelledby="~registers">
            <h2 id="~registers">Registers and bibliography</h2>
            <ul>
              <xsl:for-each select="$f:register-pages">
                <xsl:variable name="kind" select="."/>
                <li><a href="{.}.html"><xsl:value-of select="$f:register-titles(.)"/></a>
                  <xsl:value-of select="' — ' || count($registers//*[@xml:id][f:register-kind(.) = $kind]) || ' entries'"/></li>
              </xsl:for-each>
              <xsl:if test="$f:has-bibliography-page">
                <li><a href="bibliography.html">Bibliography</a> — works cited in the texts</li>
              </xsl:if>
            </ul>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
