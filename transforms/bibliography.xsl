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
  of every document in $documents. Called by name "all-formats" (what
  tei.transform does): every format in $formats at once, as a sequence of
  strings, for $document or, without one, for the edition; the entries are
  read into records once, not once per format.

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

  <!-- Each of $formats, one string per format in order; the records are read once (tei.transform uses these). -->
  <xsl:param name="formats" as="xs:string*" select="$format"/>

  <xsl:template match="/">
    <xsl:value-of select="f:bibliography(f:records(f:bib-entries(.)), $format, 'Works cited in ' || f:title(.), f:language(.))"/>
  </xsl:template>

  <xsl:template name="consolidated">
    <xsl:value-of select="f:bibliography(f:records(f:consolidated-entries()), $format, 'Bibliography — ' || $site-title, 'en')"/>
  </xsl:template>

  <!-- $formats for one document ($document), or for the whole edition when $document is empty. -->
  <xsl:template name="all-formats" as="xs:string*">
    <xsl:param name="document" as="document-node()?" select="()"/>
    <xsl:variable name="records" select="f:records(if ($document) then f:bib-entries($document) else f:consolidated-entries())"/>
    <xsl:variable name="title" select="if ($document) then 'Works cited in ' || f:title($document) else 'Bibliography — ' || $site-title"/>
    <xsl:variable name="lang" select="if ($document) then f:language($document) else 'en'"/>
    <!-- HTML and text list the records in the same order: sorted once for both -->
    <xsl:variable name="sorted" select="if ($formats = ('html', 'text')) then f:chicago-order($records) else ()"/>
    <xsl:variable name="creators" select="f:chicago-creators($sorted)"/>
    <xsl:sequence select="$formats ! f:formatted($records, $sorted, $creators, ., $title, $lang)"/>
  </xsl:template>

  <xsl:function name="f:consolidated-entries" as="element()*">
    <xsl:sequence select="if (exists(f:register-bib-entries($registers))) then f:register-bib-entries($registers) else $documents ! f:bib-entries(.)"/>
  </xsl:function>

  <!-- Entries as records with their citation keys. -->
  <xsl:function name="f:records" as="element(r:record)*">
    <xsl:param name="entries" as="element()*"/>
    <xsl:sequence select="f:with-keys($entries ! f:bib-record(.))"/>
  </xsl:function>

  <!-- The records in one format. -->
  <xsl:function name="f:bibliography" as="xs:string">
    <xsl:param name="keyed" as="element(r:record)*"/>
    <xsl:param name="format" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string"/>
    <xsl:variable name="sorted" select="if ($format = ('html', 'text')) then f:chicago-order($keyed) else ()"/>
    <xsl:sequence select="f:formatted($keyed, $sorted, f:chicago-creators($sorted), $format, $title, $lang)"/>
  </xsl:function>

  <!-- The order of a Chicago bibliography: by author (or title), then the entry as printed. -->
  <xsl:function name="f:chicago-order" as="element(r:record)*">
    <xsl:param name="keyed" as="element(r:record)*"/>
    <xsl:perform-sort select="$keyed">
      <xsl:sort select="f:record-sort-key(.)" collation="{$f:collation}"/>
      <xsl:sort select="f:chicago-text(., f:chicago-creator(.))" collation="{$f:collation}"/>
      <xsl:sort select="string(@key)"/>
    </xsl:perform-sort>
  </xsl:function>

  <!-- The records in one format; $sorted and $creators: the records in Chicago order, and what
       f:chicago-creators gives for them (HTML and text only). -->
  <xsl:function name="f:formatted" as="xs:string">
    <xsl:param name="keyed" as="element(r:record)*"/>
    <xsl:param name="sorted" as="element(r:record)*"/>
    <xsl:param name="creators" as="xs:string*"/>
    <xsl:param name="format" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="$format = 'bibtex'"><xsl:sequence select="f:bibtex($keyed)"/></xsl:when>
      <xsl:when test="$format = 'csl-json'"><xsl:sequence select="f:csl-json($keyed)"/></xsl:when>
      <xsl:when test="$format = 'ris'"><xsl:sequence select="f:ris($keyed)"/></xsl:when>
      <xsl:when test="$format = ('html', 'text')">
        <xsl:choose>
          <xsl:when test="$format = 'text'">
            <xsl:sequence select="string-join(($title, string-join((1 to string-length($title)) ! '='),
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
            <xsl:sequence select="serialize($page, map{'method': 'html', 'html-version': 5, 'include-content-type': false()})"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">unknown bibliography format '<xsl:value-of select="$format"/>' (html, text, bibtex, csl-json, ris)</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

</xsl:stylesheet>
