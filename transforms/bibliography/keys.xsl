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
        else (tokenize(f:sort-key(($r/r:title, $r/r:text)[1]))[. != ''])[1]"/>
    <xsl:variable name="ascii" select="replace(lower-case(f:ascii-fold($word)), '[^a-z0-9]', '')"/>
    <xsl:sequence select="(if ($ascii) then $ascii else 'ref') || string($r/r:date/@year)"/>
  </xsl:function>

  <!-- The records with a unique @key each (records sharing a base key get a, b, ... in their order). -->
  <xsl:function name="f:with-keys" as="element(r:record)*">
    <xsl:param name="records" as="element(r:record)*"/>
    <xsl:variable name="keys" as="map(xs:string, xs:string)">
      <xsl:map>
        <xsl:for-each-group select="$records" group-by="f:base-key(.)">
          <xsl:variable name="same" select="count(current-group())"/>
          <xsl:variable name="base" select="current-grouping-key()"/>
          <xsl:for-each select="current-group()">
            <xsl:map-entry key="generate-id(.)" select="$base || (if ($same = 1) then ''
                else if ($same le 26) then codepoints-to-string(96 + position()) else '-' || position())"/>
          </xsl:for-each>
        </xsl:for-each-group>
      </xsl:map>
    </xsl:variable>
    <xsl:for-each select="$records">
      <r:record key="{$keys(generate-id(.))}">
        <xsl:sequence select="@*, node()"/>
      </r:record>
    </xsl:for-each>
  </xsl:function>

</xsl:stylesheet>
