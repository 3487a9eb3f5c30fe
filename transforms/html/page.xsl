<?xml version="1.0" encoding="UTF-8"?>
<!-- html/page.xsl: the frame every page shares (head, banner with site navigation, footer). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:key name="register-entry" match="tei:person[@xml:id] | tei:personGrp[@xml:id] | tei:place[@xml:id] | tei:org[@xml:id]" use="string(@xml:id)"/>
  <xsl:key name="bib-entry" match="tei:listBibl/*[self::tei:bibl or self::tei:biblStruct or self::tei:biblFull][@xml:id]" use="string(@xml:id)"/>
  <xsl:key name="text-id" match="tei:text//*[@xml:id]" use="string(@xml:id)"/>

  <!-- Register pages that exist: one per kind with at least one entry. -->
  <xsl:variable name="f:register-pages" as="xs:string*"
      select="('persons', 'places', 'organisations')[let $kind := . return some $r in $registers satisfies
               exists($r//(tei:person | tei:personGrp | tei:place | tei:org)[@xml:id][f:register-kind(.) = $kind])]"/>
  <xsl:variable name="f:register-titles" as="map(xs:string, xs:string)"
      select="map{'persons': 'Persons', 'places': 'Places', 'organisations': 'Organisations'}"/>
  <xsl:variable name="f:has-bibliography-page" as="xs:boolean"
      select="exists(f:register-bib-entries($registers)) or (some $d in $documents satisfies exists($d/*/tei:text//tei:listBibl))"/>

  <xsl:function name="f:doc-href" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="f:slug($doc) || '.html'"/>
  </xsl:function>

  <!-- The register entry an id names, or nothing. -->
  <xsl:function name="f:entry" as="element()?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="($registers ! key('register-entry', $id, .))[1]"/>
  </xsl:function>

  <!-- The first register entry a name element points to (and whose page exists). -->
  <xsl:function name="f:entry-for" as="element()?">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="(f:name-ids($e) ! f:entry(.))[f:register-kind(.) = $f:register-pages][1]"/>
  </xsl:function>

  <xsl:function name="f:bib-register-entry" as="element()?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="($registers ! key('bib-entry', $id, .))[1]"/>
  </xsl:function>

  <!--
    The frame of a page. $content is the page's main content (or $content-of
    the node whose html-page-content template writes it); $title the page
    title; $meta extra head elements (Dublin Core); $nav-current the page's own
    name in the site navigation.
  -->
  <xsl:template name="f:page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string" select="'en'"/>
    <xsl:param name="meta" as="node()*" select="()"/>
    <xsl:param name="content" as="node()*" select="()"/>
    <!-- or: what the page is of, whose template in mode html-page-content writes the content in place -->
    <xsl:param name="content-of" as="node()?" select="()"/>
    <xsl:param name="body-class" as="xs:string" select="'page'"/>
    <xsl:param name="nav-current" as="xs:string" select="''"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="if ($title = $site-title) then $title else $title || ' — ' || $site-title"/></title>
        <xsl:sequence select="$meta"/>
        <meta name="generator" content="tei-edition (XSLT 3.0)"/>
        <link rel="stylesheet" href="assets/edition.css"/>
        <script src="assets/edition.js" defer="defer"></script>
      </head>
      <body class="{$body-class}">
        <a class="skip-link" href="#~main">Skip to main content</a>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="site-title" href="index.html"><xsl:value-of select="$site-title"/></a>
            <nav class="site-nav" aria-label="Edition">
              <ul>
                <li><a href="index.html"><xsl:if test="$nav-current = 'index'"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>Texts</a></li>
                <xsl:for-each select="$f:register-pages">
                  <li><a href="{.}.html"><xsl:if test="$nav-current = current()"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if><xsl:value-of select="$f:register-titles(.)"/></a></li>
                </xsl:for-each>
                <xsl:if test="$f:has-bibliography-page">
                  <li><a href="bibliography.html"><xsl:if test="$nav-current = 'bibliography'"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>Bibliography</a></li>
                </xsl:if>
              </ul>
            </nav>
          </div>
        </header>
        <main id="~main" tabindex="-1">
          <xsl:sequence select="$content"/>
          <xsl:apply-templates select="$content-of" mode="html-page-content"/>
        </main>
        <footer class="site-footer">
          <p><xsl:value-of select="$site-title"/>. Pages generated from TEI P5 by XSLT 3.0; they work offline and without JavaScript.</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- Dublin Core and ordinary meta elements for a document, from its teiHeader. -->
  <xsl:function name="f:meta" as="element()*">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="h" select="f:header($doc)"/>
    <xsl:variable name="authors" select="f:authors($doc)"/>
    <xsl:variable name="contributors" select="$h/tei:fileDesc/tei:titleStmt/(tei:editor | tei:respStmt/(tei:name | tei:persName | tei:orgName)) ! f:norm(.)"/>
    <xsl:variable name="source" select="($h/tei:fileDesc/tei:sourceDesc/*)[1] ! f:norm(string-join(.//text()[not(ancestor::tei:note)], ' '))"/>
    <xsl:for-each select="$authors"><meta name="author" content="{.}"/></xsl:for-each>
    <xsl:for-each select="f:description($doc)"><meta name="description" content="{.}"/></xsl:for-each>
    <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
    <meta name="DC.title" content="{f:title($doc)}"/>
    <xsl:for-each select="$authors"><meta name="DC.creator" content="{.}"/></xsl:for-each>
    <xsl:for-each select="$contributors"><meta name="DC.contributor" content="{.}"/></xsl:for-each>
    <xsl:for-each select="(f:iso-date($doc), f:date($doc))[1]"><meta name="DC.date" content="{.}"/></xsl:for-each>
    <xsl:for-each select="f:publisher($doc)"><meta name="DC.publisher" content="{.}"/></xsl:for-each>
    <meta name="DC.language" content="{f:language($doc)}"/>
    <xsl:for-each select="f:rights($doc)"><meta name="DC.rights" content="{.}"/></xsl:for-each>
    <xsl:for-each select="$source[. != '']"><meta name="DC.source" content="{.}"/></xsl:for-each>
    <xsl:for-each select="f:description($doc)"><meta name="DC.description" content="{.}"/></xsl:for-each>
    <meta name="DC.type" content="Text"/>
    <meta name="DC.format" content="text/html"/>
    <meta name="DC.identifier" content="{f:slug($doc)}"/>
  </xsl:function>

</xsl:stylesheet>
