<?xml version="1.0" encoding="UTF-8"?>
<!--
  text.xsl: the plain-text edition (entry stylesheet). One UTF-8 file per
  document: a title block, then headings and paragraphs separated by blank
  lines (headings underlined: = for the title, - for chapters, ~ for
  sections), block quotations indented by four spaces, list items with "- "
  or "1. ", verse line by line, table rows with " | " between cells. Notes
  are numbered endnotes with call markers [1] in the text, after the
  document, or after each chapter when the note numbers restart per chapter.
  Paragraphs are not wrapped: one paragraph is one line.

  Works in two steps: templates in mode "text-block" make a flat list of
  <t:b> blocks (text, indent, list marker, heading level); f:serialize-blocks
  writes them out.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:t="urn:x-tei-edition:text"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:include href="text/blocks.xsl"/>
  <xsl:include href="text/inline.xsl"/>
  <xsl:include href="bibliography/model.xsl"/>
  <xsl:include href="bibliography/chicago.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:mode name="text-block" on-no-match="shallow-skip"/>
  <xsl:mode name="text-inline" on-no-match="text-only-copy"/>

  <xsl:template match="/">
    <xsl:variable name="per-chapter" select="f:notes-per-chapter(.)"/>
    <xsl:variable name="texts" select="(tei:TEI/tei:text, tei:teiCorpus//tei:TEI/tei:text)"/>
    <xsl:variable name="blocks" as="element(t:b)*">
      <t:b level="1"><xsl:value-of select="f:title(.)"/></t:b>
      <xsl:for-each select="f:subtitle(.)"><t:b><xsl:value-of select="."/></t:b></xsl:for-each>
      <xsl:variable name="authors" select="f:authors(.)"/>
      <xsl:if test="exists($authors)">
        <t:b><xsl:value-of select="'By ' || string-join($authors, ', ')"/></t:b>
      </xsl:if>
      <xsl:variable name="facts" select="(f:date(.), f:publisher(.))[. != '']"/>
      <xsl:if test="exists($facts)"><t:b><xsl:value-of select="string-join($facts, ' · ')"/></t:b></xsl:if>
      <xsl:apply-templates select="$texts" mode="text-block">
        <xsl:with-param name="per-chapter" select="$per-chapter" tunnel="yes"/>
        <xsl:with-param name="indent" select="0" tunnel="yes"/>
      </xsl:apply-templates>
      <xsl:variable name="notes" select="$texts ! f:section-notes(., $per-chapter)"/>
      <xsl:if test="$notes">
        <xsl:call-template name="t:notes">
          <xsl:with-param name="notes" select="$notes"/>
          <xsl:with-param name="level" select="2"/>
          <xsl:with-param name="per-chapter" select="$per-chapter" tunnel="yes"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:variable>
    <xsl:value-of select="f:serialize-blocks($blocks)"/>
  </xsl:template>

  <!-- Blocks to text: blank lines between blocks, indents and list markers, underlined headings. -->
  <xsl:function name="f:serialize-blocks" as="xs:string">
    <xsl:param name="blocks" as="element(t:b)*"/>
    <xsl:variable name="out" as="xs:string*">
      <xsl:for-each select="$blocks[normalize-space(.)]">
        <xsl:variable name="indent" select="string-join((1 to xs:integer((@indent, 0)[1])) ! ' ')"/>
        <xsl:variable name="marker" select="string(@marker)"/>
        <xsl:variable name="hang" select="string-join((1 to string-length($marker)) ! ' ')"/>
        <xsl:variable name="lines" select="tokenize(string(.), '&#10;')"/>
        <xsl:variable name="body" select="string-join(
            for $i in 1 to count($lines) return $indent || (if ($i = 1) then $marker else $hang) || $lines[$i], '&#10;')"/>
        <xsl:variable name="level" select="xs:integer((@level, 0)[1])"/>
        <xsl:sequence select="if ($level = 0 or $level gt 3) then $body
            else $body || '&#10;' || $indent || string-join((1 to string-length(string(.))) ! substring('=-~', $level, 1))"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($out, '&#10;&#10;') || '&#10;'"/>
  </xsl:function>

</xsl:stylesheet>
