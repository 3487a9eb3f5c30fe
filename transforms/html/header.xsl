<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/header.xsl: "About this text", the teiHeader for readers: the source,
  its rights, the edition, the editorial principles and every recorded change.
  Parts of a header this edition does not know are shown generically.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:teiHeader" mode="html-header">
    <xsl:param name="doc" as="node()"/>
    <section class="about" id="~about" aria-labelledby="~about-h">
      <h2 id="~about-h">About this text</h2>
      <xsl:variable name="fd" select="tei:fileDesc"/>
      <dl class="about-list">
        <xsl:for-each select="$fd/tei:titleStmt/(tei:author | tei:editor | tei:respStmt | tei:funder | tei:sponsor | tei:principal)">
          <dt><xsl:value-of select="if (self::tei:respStmt) then f:norm(tei:resp[1]) else f:label(.)"/></dt>
          <dd><xsl:apply-templates select="if (self::tei:respStmt) then (* except tei:resp) else node()" mode="html-header-inline"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:sourceDesc/*">
          <dt>Source</dt>
          <dd><xsl:apply-templates select="." mode="html-header-block"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:editionStmt">
          <dt>Edition</dt>
          <dd><xsl:apply-templates select="." mode="html-header-block"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:publicationStmt">
          <dt>Publication</dt>
          <dd><xsl:apply-templates select="." mode="html-header-block"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/(tei:extent | tei:seriesStmt | tei:notesStmt)">
          <dt><xsl:value-of select="f:label(.)"/></dt>
          <dd><xsl:apply-templates select="." mode="html-header-block"/></dd>
        </xsl:for-each>
        <xsl:for-each select="tei:profileDesc/tei:langUsage[tei:language]">
          <dt>Languages</dt>
          <dd><xsl:value-of select="tei:language ! f:norm(.)" separator="; "/></dd>
        </xsl:for-each>
        <xsl:for-each select="tei:profileDesc/(* except tei:langUsage)">
          <dt><xsl:value-of select="f:label(.)"/></dt>
          <dd><xsl:apply-templates select="." mode="html-header-block"/></dd>
        </xsl:for-each>
      </dl>
      <xsl:if test="tei:encodingDesc">
        <h3>Editorial principles</h3>
        <dl class="about-list">
          <xsl:for-each select="tei:encodingDesc/(tei:projectDesc | tei:samplingDecl | tei:editorialDecl/* | tei:editorialDecl/tei:p[false()] | tei:classDecl | tei:p)">
            <dt><xsl:value-of select="if (self::tei:p) then 'Note' else f:label(.)"/></dt>
            <dd><xsl:apply-templates select="." mode="html-header-block"/></dd>
          </xsl:for-each>
        </dl>
      </xsl:if>
      <xsl:for-each select="tei:revisionDesc[*]">
        <xsl:variable name="changes" select="(tei:change, tei:listChange//tei:change)"/>
        <h3>Changes made by the editors</h3>
        <details class="changes">
          <summary><xsl:value-of select="count($changes)"/> recorded change<xsl:if test="count($changes) ne 1">s</xsl:if></summary>
          <ol class="change-list">
            <xsl:for-each select="$changes">
              <li>
                <xsl:if test="@when or @type">
                  <span class="change-meta"><xsl:value-of select="string-join((@when, @type), ', ')"/></span>
                  <xsl:text> </xsl:text>
                </xsl:if>
                <xsl:apply-templates mode="html-header-inline"/>
              </li>
            </xsl:for-each>
          </ol>
        </details>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- A readable label for a header element: its name split into words, with its @type. -->
  <xsl:function name="f:label" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="words" select="lower-case(replace(replace(local-name($e), 'Desc$|Decl$|Stmt$', ''), '([a-z])([A-Z])', '$1 $2'))"/>
    <xsl:variable name="nice" select="map{'author': 'Author', 'editor': 'Editor', 'funder': 'Funder', 'sponsor': 'Sponsor',
        'principal': 'Principal investigator', 'project': 'Project', 'correction': 'Correction', 'normalization': 'Normalisation',
        'quotation': 'Quotation marks', 'hyphenation': 'Hyphenation', 'segmentation': 'Segmentation', 'interpretation': 'Interpretation',
        'punctuation': 'Punctuation', 'stdVals': 'Standard values', 'sampling': 'Sampling', 'extent': 'Extent', 'series': 'Series',
        'notes': 'Notes', 'creation': 'Creation', 'abstract': 'Abstract', 'text class': 'Classification', 'partic': 'Participants',
        'setting': 'Setting', 'class': 'Classification'}"/>
    <xsl:variable name="base" select="($nice($words), upper-case(substring($words, 1, 1)) || substring($words, 2))[1]"/>
    <xsl:sequence select="$base || (if ($e/@type and not($e/self::tei:title)) then ' (' || $e/@type || ')' else '')"/>
  </xsl:function>

  <!-- Header blocks: paragraphs as paragraphs, structured parts as labelled lines. -->
  <xsl:template match="*" mode="html-header-block">
    <xsl:choose>
      <xsl:when test="tei:p or tei:ab">
        <xsl:for-each select="*">
          <xsl:choose>
            <xsl:when test="self::tei:p or self::tei:ab"><p><xsl:apply-templates mode="html-header-inline"/></p></xsl:when>
            <xsl:otherwise><xsl:apply-templates select="." mode="html-header-block"/></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="* and not(text()[normalize-space()])">
        <ul class="header-parts">
          <xsl:for-each select="*">
            <li>
              <xsl:if test="not(self::tei:bibl or self::tei:biblStruct or self::tei:availability or self::tei:edition)">
                <span class="header-label"><xsl:value-of select="f:label(.)"/>: </span>
              </xsl:if>
              <xsl:apply-templates select="." mode="html-header-block"/>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates mode="html-header-inline"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A bibliographic description of the source: its parts on separate lines, notes labelled. -->
  <xsl:template match="tei:bibl" mode="html-header-block">
    <xsl:variable name="parts" select="*[not(self::tei:note)]"/>
    <p class="source-bibl">
      <xsl:for-each select="node()[not(self::tei:note)]">
        <xsl:if test="self::* and preceding-sibling::*[not(self::tei:note)] and not(preceding-sibling::node()[1][self::text()][normalize-space()])">. </xsl:if>
        <xsl:apply-templates select="." mode="html-header-inline"/>
      </xsl:for-each>
    </p>
    <xsl:for-each select="tei:note">
      <p class="source-note"><xsl:if test="@type"><span class="header-label"><xsl:value-of select="upper-case(substring(@type, 1, 1)) || substring(@type, 2)"/>: </span></xsl:if><xsl:apply-templates mode="html-header-inline"/></p>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:licence" mode="html-header-inline html-header-block">
    <xsl:choose>
      <xsl:when test="f:is-external(@target)"><a href="{normalize-space(@target)}" rel="license"><xsl:apply-templates mode="html-header-inline"/></a></xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="html-header-inline"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q" mode="html-header-inline">
    <xsl:text> </xsl:text><q class="removed-text"><xsl:apply-templates mode="html-header-inline"/></q>
  </xsl:template>

  <xsl:template match="tei:title" mode="html-header-inline">
    <xsl:element name="{if (@level = ('a', 'u')) then 'span' else 'cite'}"><xsl:apply-templates mode="html-header-inline"/></xsl:element>
  </xsl:template>

  <xsl:template match="tei:ref[f:is-external(@target)] | tei:ptr[f:is-external(@target)]" mode="html-header-inline">
    <a href="{normalize-space(@target)}"><xsl:apply-templates mode="html-header-inline"/><xsl:if test="self::tei:ptr"><xsl:value-of select="@target"/></xsl:if></a>
  </xsl:template>

  <xsl:template match="tei:date" mode="html-header-inline">
    <xsl:choose>
      <xsl:when test="normalize-space(.)"><xsl:apply-templates mode="html-header-inline"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="(@when, @from, @notBefore)[1]"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" mode="html-header-inline">
    <xsl:if test="preceding-sibling::*"><xsl:text> </xsl:text></xsl:if>
    <xsl:apply-templates mode="html-header-inline"/>
  </xsl:template>

  <xsl:template match="*" mode="html-header-inline">
    <xsl:if test="preceding-sibling::* and not(preceding-sibling::node()[1][self::text()])"><xsl:text> </xsl:text></xsl:if>
    <xsl:apply-templates mode="html-header-inline"/>
  </xsl:template>

  <xsl:template match="text()" mode="html-header-inline">
    <xsl:value-of select="replace(., '\s+', ' ')"/>
  </xsl:template>

</xsl:stylesheet>
