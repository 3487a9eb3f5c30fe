<?xml version="1.0" encoding="UTF-8"?>
<!-- html/document.xsl: one page per TEI document: title block, contents, text, notes, about. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:template match="/">
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="f:title(.)"/>
      <xsl:with-param name="lang" select="f:language(.)"/>
      <xsl:with-param name="meta" select="f:meta(.)"/>
      <xsl:with-param name="body-class" select="'document'"/>
      <xsl:with-param name="content-of" select="."/>
    </xsl:call-template>
  </xsl:template>

  <!-- A document's part of its page: f:page writes it in place (content made beforehand and passed as a
       parameter would be a tree of its own, copied into the page: the whole text once more). -->
  <xsl:template match="/" mode="html-page-content">
    <xsl:variable name="doc" select="."/>
    <xsl:variable name="per-chapter" select="f:notes-per-chapter(.)"/>
    <xsl:variable name="texts" select="(tei:TEI/tei:text, tei:teiCorpus//tei:TEI/tei:text)"/>
    <xsl:variable name="doc-notes" select="$texts ! f:section-notes(., $per-chapter)"/>
    <article class="document" aria-labelledby="~title">
      <header class="doc-header">
        <xsl:call-template name="f:doc-title-block">
          <xsl:with-param name="doc" select="$doc"/>
        </xsl:call-template>
      </header>
      <div class="doc-layout">
        <nav class="toc" aria-labelledby="~toc-title" id="~toc">
          <details open="open">
            <summary><h2 id="~toc-title">Contents</h2></summary>
            <ol>
              <xsl:apply-templates select="$texts" mode="html-toc"/>
              <xsl:if test="$doc-notes">
                <li><a href="#~notes">Notes</a></li>
              </xsl:if>
              <li><a href="#~about">About this text</a></li>
            </ol>
          </details>
        </nav>
        <div class="doc-text">
          <xsl:apply-templates select="$texts" mode="html">
            <xsl:with-param name="per-chapter" select="$per-chapter" tunnel="yes"/>
          </xsl:apply-templates>
          <xsl:if test="$doc-notes">
            <xsl:call-template name="f:notes-section">
              <xsl:with-param name="notes" select="$doc-notes"/>
              <xsl:with-param name="id" select="'~notes'"/>
              <xsl:with-param name="level" select="2"/>
              <xsl:with-param name="per-chapter" select="$per-chapter" tunnel="yes"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:apply-templates select="f:header($doc)" mode="html-header">
            <xsl:with-param name="doc" select="$doc"/>
          </xsl:apply-templates>
        </div>
      </div>
    </article>
  </xsl:template>

  <!-- Title, subtitle, authors, date and publisher of a document; downloads when published beside the site. -->
  <xsl:template name="f:doc-title-block">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="slug" select="f:slug($doc)"/>
    <h1 id="~title"><xsl:value-of select="f:title($doc)"/></h1>
    <xsl:for-each select="f:subtitle($doc)">
      <p class="subtitle"><xsl:value-of select="."/></p>
    </xsl:for-each>
    <xsl:variable name="authors" select="f:authors($doc)"/>
    <xsl:if test="exists($authors)">
      <p class="doc-byline"><xsl:value-of select="f:join-names($authors)"/></p>
    </xsl:if>
    <xsl:variable name="facts" select="(f:date($doc), f:publisher($doc))[. != '']"/>
    <xsl:if test="exists($facts)">
      <p class="doc-facts"><xsl:value-of select="$facts" separator=" · "/></p>
    </xsl:if>
    <xsl:variable name="downloads" as="element()*">
      <xsl:if test="$tei-href"><a href="{$tei-href}{$slug}.xml" type="application/tei+xml">TEI XML</a></xsl:if>
      <xsl:if test="$text-href"><a href="{$text-href}{$slug}.txt" type="text/plain">Plain text</a></xsl:if>
      <xsl:if test="$bibliography-href and $slug = $bibliography-slugs">
        <a href="{$bibliography-href}{$slug}.bib">Works cited (BibTeX)</a>
        <a href="{$bibliography-href}{$slug}.ris">(RIS)</a>
        <a href="{$bibliography-href}{$slug}.json">(CSL-JSON)</a>
      </xsl:if>
    </xsl:variable>
    <xsl:if test="exists($downloads)">
      <p class="downloads"><span class="label">Download: </span>
        <xsl:for-each select="$downloads">
          <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:sequence select="."/>
        </xsl:for-each>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- "A", "A and B", "A, B and C" -->
  <xsl:function name="f:join-names" as="xs:string">
    <xsl:param name="names" as="xs:string*"/>
    <xsl:sequence select="if (count($names) le 1) then string($names[1])
                          else string-join($names[position() lt last()], ', ') || ' and ' || $names[last()]"/>
  </xsl:function>

  <!-- ======================= table of contents ======================= -->

  <xsl:template match="tei:text" mode="html-toc">
    <xsl:apply-templates select="*" mode="html-toc"/>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group | tei:floatingText" mode="html-toc">
    <xsl:apply-templates select="*" mode="html-toc"/>
  </xsl:template>

  <!-- the divisions (f:is-div) by name, at the priority *[f:is-div(.)] had: Saxon then finds the rule by the
       element's name, where a predicate on * was tried on every element -->
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7" mode="html-toc" priority="0.5">
    <xsl:variable name="children" as="element()*">
      <xsl:apply-templates select="*" mode="html-toc"/>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="tei:head">
        <li>
          <a href="#{f:anchor(.)}"><xsl:value-of select="f:head-text(tei:head[1])"/></a>
          <xsl:if test="exists($children)"><ol><xsl:sequence select="$children"/></ol></xsl:if>
        </li>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="$children"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p | tei:list | tei:table | tei:lg | tei:sp | tei:listBibl | tei:figure" mode="html-toc"/>

  <!-- The text of a heading for the contents and for labels (notes left out). -->
  <xsl:function name="f:head-text" as="xs:string">
    <xsl:param name="head" as="element()"/>
    <xsl:sequence select="f:norm(string-join($head//text()[not(ancestor::tei:note)], ''))"/>
  </xsl:function>

</xsl:stylesheet>
