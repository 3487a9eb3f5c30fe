<?xml version="1.0" encoding="UTF-8"?>
<!-- text/blocks.xsl: block-level TEI as <t:b> blocks (mode "text-block"). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:t="urn:x-tei-edition:text"
    exclude-result-prefixes="#all">

  <!--
    The flow of a container with mixed content: runs of phrases become one
    paragraph block each, block elements their own blocks.
  -->
  <xsl:template name="t:flow">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="nodes" as="node()*" select="node()"/>
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <xsl:param name="marker" as="xs:string?" select="()"/>
    <xsl:variable name="blocks" as="element(t:b)*">
      <xsl:for-each-group select="$nodes" group-adjacent="boolean(self::*[f:is-block(.)])">
        <xsl:choose>
          <xsl:when test="current-grouping-key()">
            <xsl:apply-templates select="current-group()" mode="text-block"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:variable name="s" select="f:inline-text(current-group(), $per-chapter)"/>
            <xsl:if test="$s != ''"><t:b indent="{$indent}"><xsl:value-of select="$s"/></t:b></xsl:if>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each-group>
    </xsl:variable>
    <!-- a list marker goes on the first block; the rest hang under it -->
    <xsl:for-each select="$blocks">
      <xsl:choose>
        <xsl:when test="exists($marker) and position() = 1">
          <t:b><xsl:sequence select="@* except @marker"/><xsl:attribute name="marker" select="$marker || @marker"/><xsl:value-of select="."/></t:b>
        </xsl:when>
        <xsl:when test="exists($marker)">
          <t:b><xsl:sequence select="@*"/><xsl:attribute name="indent" select="xs:integer((@indent, 0)[1]) + string-length($marker)"/><xsl:value-of select="."/></t:b>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="."/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
    <xsl:if test="exists($marker) and empty($blocks)">
      <t:b indent="{$indent}" marker="{$marker}">&#xA0;</t:b>
    </xsl:if>
  </xsl:template>

  <!-- Phrase-level nodes as one line of text. -->
  <xsl:function name="f:inline-text" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:param name="per-chapter" as="xs:boolean"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="text-inline">
        <xsl:with-param name="per-chapter" select="$per-chapter" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:sequence select="f:norm(string-join($parts, ''))"/>
  </xsl:function>

  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group | tei:floatingText | tei:titlePage | tei:docTitle
                       | tei:opener | tei:closer | tei:postscript | tei:argument | tei:castList | tei:spGroup | tei:sp | tei:epigraph"
                mode="text-block">
    <xsl:call-template name="t:flow"/>
  </xsl:template>

  <!-- the divisions (f:is-div) by name, at the priority *[f:is-div(.)] had: Saxon then finds the rule by the
       element's name, where a predicate on * was tried on every element -->
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7" mode="text-block" priority="0.5">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:call-template name="t:flow"/>
    <xsl:if test="$per-chapter and not(ancestor::*[f:is-div(.)])">
      <xsl:variable name="notes" select="f:section-notes(., true())"/>
      <xsl:if test="$notes">
        <xsl:call-template name="t:notes">
          <xsl:with-param name="notes" select="$notes"/>
          <xsl:with-param name="level" select="if (tei:head) then f:text-heading-level(.) + 1 else 2"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <xsl:function name="f:text-heading-level" as="xs:integer">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="1 + count($div/ancestor-or-self::*[f:is-div(.)][tei:head])"/>
  </xsl:function>

  <xsl:template match="tei:head[f:is-div(..)][not(preceding-sibling::tei:head)]" mode="text-block">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <t:b level="{f:text-heading-level(..)}" indent="{$indent}"><xsl:value-of select="f:inline-text(node(), $per-chapter)"/></t:b>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab | tei:head | tei:titlePart | tei:docAuthor | tei:docImprint | tei:docDate | tei:docEdition
                       | tei:byline | tei:dateline | tei:trailer | tei:salute | tei:signed | tei:speaker | tei:stage | tei:label
                       | tei:address | tei:fw | tei:item | tei:bibl | tei:said | tei:q" mode="text-block">
    <xsl:call-template name="t:flow"/>
  </xsl:template>

  <xsl:template match="tei:biblStruct | tei:biblFull" mode="text-block">
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <t:b indent="{$indent}"><xsl:value-of select="f:chicago-text(f:bib-record(.), f:chicago-creator(f:bib-record(.)))"/></t:b>
  </xsl:template>

  <!-- Block quotations: indented by four spaces; quotation marks added only where the text has none. -->
  <xsl:template match="tei:quote | tei:cit" mode="text-block">
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <xsl:call-template name="t:flow">
      <xsl:with-param name="indent" select="$indent + 4" tunnel="yes"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:cit/tei:quote" mode="text-block" priority="1">
    <xsl:call-template name="t:flow"/>
  </xsl:template>

  <xsl:template match="tei:list | tei:listBibl | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent" mode="text-block">
    <xsl:variable name="ordered" select="tokenize(lower-case(@type)) = ('ordered', 'numbered', 'decimal')
        or tokenize(lower-case(@rend)) = ('numbered', 'ordered', 'decimal')"/>
    <xsl:apply-templates select="tei:head" mode="text-block"/>
    <xsl:for-each select="* except tei:head">
      <xsl:choose>
        <xsl:when test="self::tei:label">
          <xsl:call-template name="t:flow"><xsl:with-param name="marker" select="''"/></xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="n" select="count(preceding-sibling::*[not(self::tei:head or self::tei:label)]) + 1"/>
          <xsl:call-template name="t:flow">
            <xsl:with-param name="nodes" select="if (self::tei:item) then node() else ."/>
            <xsl:with-param name="marker" select="
                if (preceding-sibling::*[1][self::tei:label]) then '    '
                else if ($ordered) then (if (normalize-space(@n)) then normalize-space(@n) else string($n)) || '. '
                else if (normalize-space(@n)) then normalize-space(@n) || ' '
                else '- '"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:person | tei:place | tei:org | tei:event | tei:personGrp" mode="text-block">
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <t:b indent="{$indent}"><xsl:value-of select="f:norm(string-join(.//text(), ' '))"/></t:b>
  </xsl:template>

  <!-- Verse: a stanza is one block, a line per line. -->
  <xsl:template match="tei:lg" mode="text-block">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <xsl:choose>
      <xsl:when test="tei:lg">
        <xsl:call-template name="t:flow"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="tei:head" mode="text-block"/>
        <t:b indent="{$indent}"><xsl:value-of select="string-join((* except tei:head) ! f:inline-text(if (self::tei:l) then node() else ., $per-chapter), '&#10;')"/></t:b>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:l" mode="text-block">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <t:b indent="{$indent}"><xsl:value-of select="f:inline-text(node(), $per-chapter)"/></t:b>
  </xsl:template>

  <!-- Tables: one line per row, cells separated by " | ". -->
  <xsl:template match="tei:table" mode="text-block">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <xsl:apply-templates select="tei:head" mode="text-block"/>
    <t:b indent="{$indent}"><xsl:value-of select="string-join(tei:row ! string-join(tei:cell ! f:inline-text(node(), $per-chapter), ' | '), '&#10;')"/></t:b>
    <xsl:apply-templates select="* except (tei:head, tei:row)" mode="text-block"/>
  </xsl:template>

  <xsl:template match="tei:figure" mode="text-block">
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <t:b indent="{$indent}"><xsl:value-of select="'[' || (if (.//tei:graphic/@url) then 'Image: ' || string-join(.//tei:graphic/@url, ', ') else 'Picture') || ']'"/></t:b>
    <xsl:call-template name="t:flow"><xsl:with-param name="nodes" select="node() except (tei:graphic, tei:media)"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:figDesc" mode="text-block">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <t:b indent="{$indent}"><xsl:value-of select="'Description: ' || f:inline-text(node(), $per-chapter)"/></t:b>
  </xsl:template>

  <xsl:template match="tei:eg | tei:egXML" mode="text-block">
    <xsl:param name="indent" tunnel="yes" as="xs:integer" select="0"/>
    <t:b indent="{$indent + 4}"><xsl:value-of select="if (self::tei:egXML) then serialize(node()) else string(.)"/></t:b>
  </xsl:template>

  <!-- Notes kept where they stand (a notes division, or attached by @target): "[n] text". -->
  <xsl:template match="tei:note[f:note-in-place(.)]" mode="text-block">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:call-template name="t:flow">
      <xsl:with-param name="marker" select="'[' || f:note-label(., $per-chapter) || '] '"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The endnotes of a section. -->
  <xsl:template name="t:notes">
    <xsl:param name="notes" as="element()*"/>
    <xsl:param name="level" as="xs:integer"/>
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <t:b level="{$level}">Notes</t:b>
    <xsl:for-each select="$notes">
      <xsl:call-template name="t:flow">
        <xsl:with-param name="marker" select="'[' || f:note-label(., $per-chapter) || '] '"/>
        <xsl:with-param name="indent" select="0" tunnel="yes"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- Analytic elements: no running text. -->
  <xsl:template match="tei:index | tei:interp | tei:interpGrp | tei:linkGrp | tei:link | tei:spanGrp | tei:span
                       | tei:joinGrp | tei:join | tei:alt | tei:altGrp | tei:certainty | tei:precision | tei:respons
                       | tei:fs | tei:fLib | tei:fvLib" mode="text-block"/>

  <!-- Any other block (from TEI or elsewhere): its content. -->
  <xsl:template match="*" mode="text-block" priority="-1">
    <xsl:call-template name="t:flow"/>
  </xsl:template>

</xsl:stylesheet>
