<?xml version="1.0" encoding="UTF-8"?>
<!--
  bibliography/ris.xsl: RIS ("TY  - BOOK" ... "ER  - "), the tagged format
  of EndNote, Zotero, Mendeley. One tag per line, two letters, two spaces,
  hyphen, space; values on one line (whitespace collapsed); AU once per
  author as "Family, Given"; A2 editors, A4 translators; PY year; SP/EP pages;
  N1 notes. Lines end in CRLF, as the RIS specification asks.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    exclude-result-prefixes="#all">

  <xsl:variable name="f:ris-types" as="map(xs:string, xs:string)" select="map{
      'book': 'BOOK', 'article-journal': 'JOUR', 'article-magazine': 'MGZN', 'article-newspaper': 'NEWS',
      'chapter': 'CHAP', 'thesis': 'THES', 'webpage': 'ELEC', 'manuscript': 'UNPB', 'letter': 'PCOMM',
      'report': 'RPRT', 'pamphlet': 'PAMP', 'interview': 'GEN', 'speech': 'GEN', 'document': 'GEN'}"/>

  <xsl:function name="f:ris-line" as="xs:string?">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="v" select="f:norm($value)"/>
    <xsl:sequence select="if ($v = '') then () else $tag || '  - ' || $v"/>
  </xsl:function>

  <xsl:function name="f:ris" as="xs:string">
    <xsl:param name="records" as="element(r:record)*"/>
    <xsl:variable name="lines" as="xs:string*">
      <xsl:for-each select="$records">
        <xsl:variable name="type" select="($f:ris-types(string(@type)), 'GEN')[1]"/>
        <xsl:variable name="pages" select="tokenize(string(r:pages), '\s*[–—-]+\s*')"/>
        <xsl:sequence select="(
            f:ris-line('TY', $type),
            f:ris-line('ID', @key),
            r:author ! f:ris-line('AU', f:inverted-name(.)),
            r:editor ! f:ris-line('A2', f:inverted-name(.)),
            r:translator ! f:ris-line('A4', f:inverted-name(.)),
            r:title ! f:ris-line('TI', .),
            r:container ! f:ris-line('T2', .),
            r:series ! f:ris-line('T3', .),
            r:date/@year ! f:ris-line('PY', .),
            r:date ! f:ris-line('DA', if (@year) then @year || '///' || (if (. != @year) then . else '') else string(.)),
            r:edition ! f:ris-line('ET', .),
            (r:institution, r:publisher)[1] ! f:ris-line('PB', .),
            r:place ! f:ris-line('CY', .),
            r:genre ! f:ris-line('M3', .),
            r:volume ! f:ris-line('VL', .),
            r:issue ! f:ris-line('IS', .),
            f:ris-line('SP', $pages[1]),
            f:ris-line('EP', $pages[2]),
            r:url ! f:ris-line('UR', .),
            r:doi ! f:ris-line('DO', .),
            r:isbn ! f:ris-line('SN', .),
            r:note ! f:ris-line('N1', .),
            'ER  - ',
            '')"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($lines, '&#13;&#10;')"/>
  </xsl:function>

</xsl:stylesheet>
