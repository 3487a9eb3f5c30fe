<?xml version="1.0" encoding="UTF-8"?>
<!--
  bibliography.xsl: bibliographies in five formats (entry stylesheet).

    $format = 'html'      a standalone HTML page, Chicago style (see bibliography/chicago.xsl)
              'text'      the same entries as plain text, one paragraph each
              'bibtex'    BibTeX (bibliography/bibtex.xsl)
              'csl-json'  CSL-JSON, as read by citeproc and Zotero (bibliography/csl-json.xsl)
              'ris'       RIS (bibliography/ris.xsl)

  Applied to a TEI document: the works it cites (its listBibl entries, or
  else every outermost bibl/biblStruct of its text). Called by name
  "consolidated": the entries of the bibliography registers ($registers) and
  of every document in $documents.

  HTML and text are sorted alphabetically (Chicago); the exchange formats keep
  the order of the sources, with keys made from first author and year.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:include href="bibliography/model.xsl"/>
  <xsl:include href="bibliography/chicago.xsl"/>
  <xsl:include href="bibliography/keys.xsl"/>
  <xsl:include href="bibliography/bibtex.xsl"/>
  <xsl:include href="bibliography/csl-json.xsl"/>
  <xsl:include href="bibliography/ris.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="format" as="xs:string" select="'html'"/>
  <xsl:param name="documents" as="document-node()*" select="()"/>
  <xsl:param name="registers" as="document-node()*" select="()"/>
  <xsl:param name="site-title" as="xs:string" select="'Bibliography'"/>

  <xsl:template match="/">
    <xsl:call-template name="f:write">
      <xsl:with-param name="entries" select="f:bib-entries(.)"/>
      <xsl:with-param name="title" select="'Works cited in ' || f:title(.)"/>
      <xsl:with-param name="lang" select="f:language(.)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="consolidated">
    <xsl:call-template name="f:write">
      <xsl:with-param name="entries" select="if (exists(f:register-bib-entries($registers))) then f:register-bib-entries($registers) else $documents ! f:bib-entries(.)"/>
      <xsl:with-param name="title" select="'Bibliography — ' || $site-title"/>
      <xsl:with-param name="lang" select="'en'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="f:write">
    <xsl:param name="entries" as="element()*"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string"/>
    <xsl:variable name="records" select="$entries ! f:bib-record(.)" as="element(r:record)*"/>
    <xsl:variable name="keyed" select="f:with-keys($records)" as="element(r:record)*"/>
    <xsl:choose>
      <xsl:when test="$format = 'bibtex'"><xsl:value-of select="f:bibtex($keyed)"/></xsl:when>
      <xsl:when test="$format = 'csl-json'"><xsl:value-of select="f:csl-json($keyed)"/></xsl:when>
      <xsl:when test="$format = 'ris'"><xsl:value-of select="f:ris($keyed)"/></xsl:when>
      <xsl:when test="$format = ('html', 'text')">
        <xsl:variable name="sorted" as="element(r:record)*">
          <xsl:perform-sort select="$keyed">
            <xsl:sort select="f:record-sort-key(.)" collation="{$f:collation}"/>
            <xsl:sort select="f:chicago-text(., f:chicago-creator(.))" collation="{$f:collation}"/>
            <xsl:sort select="string(@key)"/>
          </xsl:perform-sort>
        </xsl:variable>
        <xsl:variable name="creators" select="f:chicago-creators($sorted)"/>
        <xsl:choose>
          <xsl:when test="$format = 'text'">
            <xsl:value-of select="string-join(($title, string-join((1 to string-length($title)) ! '='),
                '', for $i in 1 to count($sorted) return (f:chicago-text($sorted[$i], $creators[$i]), '')), '&#10;')"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:variable name="page">
              <html lang="{$lang}">
                <head>
                  <meta charset="utf-8"/>
                  <meta name="viewport" content="width=device-width, initial-scale=1"/>
                  <title><xsl:value-of select="$title"/></title>
                  <style>
                    body { font-family: Georgia, "DejaVu Serif", serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.55; color: #1d1b18; background: #fbf9f4; }
                    h1 { font-size: 1.6rem; line-height: 1.25; }
                    ul { list-style: none; padding: 0; }
                    li { padding-left: 2rem; text-indent: -2rem; margin: 0.5rem 0; }
                    p { color: #5d574e; font-size: 0.9rem; }
                  </style>
                </head>
                <body>
                  <main>
                    <h1><xsl:value-of select="$title"/></h1>
                    <p>Chicago Manual of Style, notes and bibliography system (bibliography form). Entries given as running text in the source are reproduced as printed.</p>
                    <ul class="bibliography">
                      <xsl:for-each select="$sorted">
                        <xsl:variable name="i" select="position()"/>
                        <li id="{@key}" class="csl-entry"><xsl:sequence select="f:chicago-html(., $creators[$i])"/></li>
                      </xsl:for-each>
                    </ul>
                  </main>
                </body>
              </html>
            </xsl:variable>
            <xsl:value-of select="serialize($page, map{'method': 'html', 'html-version': 5, 'include-content-type': false()})"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">unknown bibliography format '<xsl:value-of select="$format"/>' (html, text, bibtex, csl-json, ris)</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
