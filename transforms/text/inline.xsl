<?xml version="1.0" encoding="UTF-8"?>
<!--
  text/inline.xsl: phrase-level TEI as strings (mode "text-inline"). Notes
  become call markers [n]; editorial alternatives follow the reading text in
  brackets ("corrected [sic: printed]"); gaps are "[…]", page breaks "[p. n]".
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:template match="text()" mode="text-inline">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="tei:note[f:is-callout-note(.)]" mode="text-inline">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:value-of select="'[' || f:note-label(., $per-chapter) || ']'"/>
  </xsl:template>

  <xsl:template match="tei:note[f:note-is-inline(.)]" mode="text-inline" priority="1">
    <xsl:apply-templates mode="text-inline"/>
  </xsl:template>

  <!-- A note kept in place but standing in a line: its label and text in brackets. -->
  <xsl:template match="tei:note" mode="text-inline">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:text> [</xsl:text><xsl:value-of select="f:note-label(., $per-chapter)"/><xsl:text>: </xsl:text>
    <xsl:apply-templates mode="text-inline"/><xsl:text>] </xsl:text>
  </xsl:template>

  <xsl:template match="tei:anchor" mode="text-inline">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="id" select="string(@xml:id)"/>
    <xsl:for-each select="root(.)//tei:note[@target][f:pointer-ids(@target) = $id]">
      <xsl:value-of select="'[' || f:note-label(., $per-chapter) || ']'"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q | tei:said | tei:soCalled" mode="text-inline">
    <xsl:variable name="add" select="not(f:text-marks-kept(.))"/>
    <xsl:if test="$add">“</xsl:if>
    <xsl:apply-templates mode="text-inline"/>
    <xsl:if test="$add">”</xsl:if>
  </xsl:template>

  <xsl:function name="f:text-marks-kept" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists(root($e)/*/tei:teiHeader//tei:quotation[@marks = ('all', 'some')])
        or matches(f:norm(string-join($e//text()[not(ancestor::tei:note)], '')), '^[&quot;“”‘’«»„‚‹›''「『]')"/>
  </xsl:function>

  <xsl:variable name="f:text-choice-preference" as="xs:string+" select="('corr', 'expan', 'reg', 'ex', 'seg', 'sic', 'abbr', 'orig', 'am')"/>

  <xsl:template match="tei:choice" mode="text-inline">
    <xsl:variable name="main" select="(for $n in $f:text-choice-preference return *[local-name() = $n])[1]"/>
    <xsl:apply-templates select="$main" mode="text-inline"/>
    <xsl:for-each select="* except $main">
      <xsl:value-of select="' [' || local-name() || ': '"/>
      <xsl:apply-templates mode="text-inline"/>
      <xsl:text>]</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:sic[not(parent::tei:choice)]" mode="text-inline">
    <xsl:apply-templates mode="text-inline"/><xsl:text> [sic]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:app" mode="text-inline">
    <xsl:apply-templates select="tei:lem" mode="text-inline"/>
    <xsl:for-each select="* except tei:lem">
      <xsl:value-of select="' [' || string-join((local-name(), @wit), ' ') || ': '"/>
      <xsl:apply-templates mode="text-inline"/>
      <xsl:text>]</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="text-inline">
    <xsl:text>[</xsl:text><xsl:apply-templates mode="text-inline"/><xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:gap" mode="text-inline"><xsl:text>[…]</xsl:text></xsl:template>

  <xsl:template match="tei:lb" mode="text-inline">
    <xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <xsl:template match="tei:pb" mode="text-inline">
    <xsl:value-of select="' [' || (if (normalize-space(@n)) then 'p. ' || normalize-space(@n) else 'page break') || '] '"/>
  </xsl:template>

  <xsl:template match="tei:cb" mode="text-inline">
    <xsl:value-of select="' [' || (if (normalize-space(@n)) then 'col. ' || normalize-space(@n) else 'column break') || '] '"/>
  </xsl:template>

  <xsl:template match="tei:milestone" mode="text-inline">
    <xsl:value-of select="if (normalize-space(@n)) then ' [' || string-join((@unit, @n), ' ') || '] ' else ' * * * '"/>
  </xsl:template>

  <xsl:template match="tei:space" mode="text-inline"><xsl:text> </xsl:text></xsl:template>

  <xsl:template match="tei:ptr" mode="text-inline">
    <xsl:value-of select="'&lt;' || normalize-space(@target) || '&gt;'"/>
  </xsl:template>

  <xsl:template match="tei:bibl" mode="text-inline">
    <xsl:if test="preceding-sibling::node()[1][self::tei:bibl or self::tei:biblStruct]"><xsl:text> </xsl:text></xsl:if>
    <xsl:apply-templates mode="text-inline"/>
  </xsl:template>

  <xsl:template match="tei:biblStruct | tei:biblFull" mode="text-inline">
    <xsl:value-of select="f:chicago-text(f:bib-record(.), f:chicago-creator(f:bib-record(.)))"/>
  </xsl:template>

  <xsl:template match="tei:graphic | tei:media" mode="text-inline">
    <xsl:value-of select="'[Image: ' || @url || ']'"/>
  </xsl:template>

  <xsl:template match="tei:index | tei:interp | tei:interpGrp | tei:linkGrp | tei:link | tei:spanGrp | tei:span
                       | tei:joinGrp | tei:join | tei:alt | tei:altGrp | tei:certainty | tei:precision | tei:respons
                       | tei:fs | tei:fLib | tei:fvLib" mode="text-inline"/>

  <!-- Everything else in a line: its words, and a space where it would break the line in print. -->
  <xsl:template match="tei:item | tei:cell | tei:l | tei:p | tei:ab | tei:head | tei:label" mode="text-inline">
    <xsl:text> </xsl:text><xsl:apply-templates mode="text-inline"/><xsl:text> </xsl:text>
  </xsl:template>

</xsl:stylesheet>
