<?xml version="1.0" encoding="UTF-8"?>
<!--
  bibliography/keys.xsl: citation keys shared by BibTeX, CSL-JSON and RIS:
  first author's family name (or the first word of the title) in lower-case
  ASCII, then the year ("serge1951"); "a", "b", ... when two entries would
  share a key. Deterministic: the same entries in the same order give the
  same keys.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    exclude-result-prefixes="#all">

  <xsl:function name="f:base-key" as="xs:string">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:variable name="who" select="($r/r:author, $r/r:editor)[1]"/>
    <xsl:variable name="word" select="if ($who) then ($who/@family, $who/@literal)[1]
        else (tokenize(f:sort-key(($r/r:title, $r/r:text)[1]), '\s+')[. != ''])[1]"/>
    <xsl:variable name="ascii" select="replace(lower-case(f:ascii-fold($word)), '[^a-z0-9]', '')"/>
    <xsl:sequence select="(if ($ascii) then $ascii else 'ref') || string($r/r:date/@year)"/>
  </xsl:function>

  <!-- The records with a unique @key each. -->
  <xsl:function name="f:with-keys" as="element(r:record)*">
    <xsl:param name="records" as="element(r:record)*"/>
    <xsl:variable name="bases" select="$records ! f:base-key(.)"/>
    <xsl:for-each select="$records">
      <xsl:variable name="i" select="position()"/>
      <xsl:variable name="base" select="$bases[$i]"/>
      <xsl:variable name="same" select="count($bases[. = $base])"/>
      <xsl:variable name="nth" select="count($bases[position() lt $i][. = $base]) + 1"/>
      <xsl:variable name="suffix" select="if ($same = 1) then ''
          else if ($same le 26) then codepoints-to-string(96 + $nth)
          else '-' || $nth"/>
      <r:record key="{$base}{$suffix}">
        <xsl:sequence select="@*, node()"/>
      </r:record>
    </xsl:for-each>
  </xsl:function>

</xsl:stylesheet>
