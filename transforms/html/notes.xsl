<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/notes.xsl: notes. A note in the running text becomes a numbered call
  (a link to the note) and the note itself goes to the notes of its section
  (the document, or its chapter when the numbering restarts), with a link
  back to the call. Notes the source prints in the line stay in the line;
  notes already collected in a notes division stay there and link back to
  every reference that points to them.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:key name="note-by-target" match="tei:note[@target]" use="f:pointer-ids(@target)"/>
  <xsl:key name="pointer-by-target" match="tei:text//tei:ref[@target] | tei:text//tei:ptr[@target]" use="f:pointer-ids(@target)"/>

  <!-- The call: a superscript number linking to the note. -->
  <xsl:template match="tei:note[f:is-callout-note(.)]" mode="html">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:call-template name="f:note-call">
      <xsl:with-param name="note" select="."/>
      <xsl:with-param name="label" select="f:note-label(., $per-chapter)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="f:note-call">
    <xsl:param name="note" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="id" as="xs:string" select="f:anchor($note) || '~call'"/>
    <a class="noteref" href="#{f:anchor($note)}" id="{$id}" role="doc-noteref" aria-label="Note {$label}"><sup><xsl:value-of select="$label"/></sup></a>
  </xsl:template>

  <!-- A note printed in the line: where it stands, set smaller. -->
  <xsl:template match="tei:note[f:note-is-inline(.)]" mode="html" priority="1">
    <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'note-inline'"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </span>
  </xsl:template>

  <!-- A note in a notes division or attached by @target: where it stands, with links back to what points to it. -->
  <xsl:template match="tei:note[f:note-in-place(.)]" mode="html">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="note" select="."/>
    <xsl:variable name="backs" as="xs:string*" select="(
        @xml:id ! key('pointer-by-target', string(.), root($note)) ! f:anchor(.),
        for $id in f:pointer-ids(@target), $t in key('text-id', $id, root($note))
        return if ($t/self::tei:anchor) then f:anchor($note) || '~call' else $id)"/>
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'note-entry'"/><xsl:with-param name="always-id" select="true()"/></xsl:call-template>
      <span class="fn-label"><xsl:value-of select="f:note-label(., $per-chapter)"/></span>
      <xsl:text> </xsl:text>
      <div class="fn-body">
        <xsl:call-template name="f:note-body"/>
        <xsl:call-template name="f:backlinks"><xsl:with-param name="targets" select="distinct-values($backs)"/></xsl:call-template>
      </div>
    </div>
  </xsl:template>

  <!-- Calls for notes attached by @target to an anchor. -->
  <xsl:template name="f:note-calls-for-target">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:if test="@xml:id">
      <xsl:for-each select="key('note-by-target', string(@xml:id), root(.))">
        <xsl:call-template name="f:note-call">
          <xsl:with-param name="note" select="."/>
          <xsl:with-param name="label" select="f:note-label(., $per-chapter)"/>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- The notes of a section, as an ordered list with links back to the calls. -->
  <xsl:template name="f:notes-section">
    <xsl:param name="notes" as="element()*"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="level" as="xs:integer"/>
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <section class="notes" id="{$id}" aria-labelledby="{$id}~h" role="doc-endnotes">
      <xsl:element name="h{$level}"><xsl:attribute name="id" select="$id || '~h'"/>Notes</xsl:element>
      <ol class="notes-list">
        <xsl:for-each select="$notes">
          <xsl:variable name="label" select="f:note-label(., $per-chapter)"/>
          <li id="{f:anchor(.)}" class="fn" role="doc-endnote">
            <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
            <a class="fn-label" href="#{f:anchor(.)}~call" role="doc-backlink" aria-label="Note {$label}, back to the text"><xsl:value-of select="$label"/></a>
            <div class="fn-body">
              <xsl:call-template name="f:note-body"/>
              <xsl:call-template name="f:backlinks"><xsl:with-param name="targets" select="f:anchor(.) || '~call'"/></xsl:call-template>
            </div>
          </li>
        </xsl:for-each>
      </ol>
    </section>
  </xsl:template>

  <!-- A note's content in paragraphs: runs of phrases between its blocks become paragraphs. -->
  <xsl:template name="f:note-body">
    <xsl:for-each-group select="node()" group-adjacent="boolean(self::*[f:is-block(.) or f:contains-block(.)])">
      <xsl:choose>
        <xsl:when test="current-grouping-key()"><xsl:apply-templates select="current-group()" mode="html"/></xsl:when>
        <xsl:when test="normalize-space(string-join(current-group())) or current-group()/self::*">
          <p><xsl:apply-templates select="current-group()" mode="html"/></p>
        </xsl:when>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:template name="f:backlinks">
    <xsl:param name="targets" as="xs:string*"/>
    <xsl:if test="exists($targets)">
      <p class="backlinks">
        <xsl:for-each select="$targets">
          <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
          <a href="#{.}" class="backlink" role="doc-backlink" aria-label="Back to the text{if (last() gt 1) then ' (' || position() || ')' else ''}">↩<xsl:if test="last() gt 1"><sup><xsl:value-of select="position()"/></sup></xsl:if></a>
        </xsl:for-each>
      </p>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
