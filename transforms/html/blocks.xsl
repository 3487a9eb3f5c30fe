<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/blocks.xsl: block-level TEI in mode "html": divisions and headings,
  paragraphs, quotations and citations, lists, tables, figures, verse, drama,
  title pages, openers and closers, bibliographies; and the fallback that
  keeps the content of any element this edition does not know.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- id (from xml:id) and lang (from xml:lang) of the element an HTML element renders. -->
  <xsl:template name="f:attrs">
    <xsl:param name="class" as="xs:string?" select="()"/>
    <xsl:param name="always-id" as="xs:boolean" select="false()"/>
    <xsl:if test="@xml:id or $always-id"><xsl:attribute name="id" select="f:anchor(.)"/></xsl:if>
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
    <xsl:variable name="classes" select="normalize-space(string-join(($class, @type ! ('type-' || replace(normalize-space(.), '[^\w-]+', '-'))), ' '))"/>
    <xsl:if test="$classes"><xsl:attribute name="class" select="$classes"/></xsl:if>
  </xsl:template>

  <!-- A heading's level: one below the nearest enclosing division that has a heading (h2 for chapters). -->
  <xsl:function name="f:heading-level" as="xs:integer">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="min((6, 1 + count($div/ancestor-or-self::*[f:is-div(.)][tei:head])))"/>
  </xsl:function>

  <!-- ======================= texts and divisions ======================= -->

  <xsl:template match="tei:text" mode="html">
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'tei-text'"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back" mode="html">
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:group" mode="html">
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'group'"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:floatingText" mode="html">
    <aside>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'floating-text'"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </aside>
  </xsl:template>

  <!-- the divisions (f:is-div) by name, at the priority *[f:is-div(.)] had: Saxon then finds the rule by the
       element's name, where a predicate on * was tried on every element -->
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7" mode="html" priority="0.5">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <section>
      <xsl:call-template name="f:attrs">
        <xsl:with-param name="class" select="'div'"/>
        <xsl:with-param name="always-id" select="true()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="html"/>
      <xsl:if test="$per-chapter and not(ancestor::*[f:is-div(.)])">
        <xsl:variable name="notes" select="f:section-notes(., true())"/>
        <xsl:if test="$notes">
          <xsl:call-template name="f:notes-section">
            <xsl:with-param name="notes" select="$notes"/>
            <xsl:with-param name="id" select="f:anchor(.) || '~notes'"/>
            <xsl:with-param name="level" select="if (tei:head) then min((6, f:heading-level(.) + 1)) else 2"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- The first heading of a division is a real heading; later ones are subheadings. -->
  <xsl:template match="tei:head[f:is-div(..)]" mode="html">
    <xsl:choose>
      <xsl:when test="not(preceding-sibling::tei:head)">
        <xsl:element name="h{f:heading-level(..)}">
          <xsl:call-template name="f:attrs"/>
          <xsl:apply-templates mode="html"/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <p><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'subhead'"/></xsl:call-template><xsl:apply-templates mode="html"/></p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Headings of lists, tables of contents, verse groups, bibliographies and so on: a label, not a section heading. -->
  <xsl:template match="tei:head" mode="html" priority="-0.1">
    <p><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'block-head'"/></xsl:call-template><xsl:apply-templates mode="html"/></p>
  </xsl:template>

  <!-- ======================= paragraphs ======================= -->

  <xsl:template match="tei:p | tei:ab" mode="html">
    <xsl:element name="{if (f:contains-block(.)) then 'div' else 'p'}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="if (f:contains-block(.)) then 'p' else ()"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <!-- ======================= quotations and citations ======================= -->

  <xsl:template match="tei:quote[f:is-block(.)] | tei:q[f:is-block(.)] | tei:said[f:is-block(.)]" mode="html">
    <blockquote>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      <xsl:choose>
        <xsl:when test="f:contains-block(.)"><xsl:apply-templates mode="html"/></xsl:when>
        <xsl:otherwise><p><xsl:apply-templates mode="html"/></p></xsl:otherwise>
      </xsl:choose>
    </blockquote>
  </xsl:template>

  <!-- A citation: the quotation as a block quotation with its source before or after it, as in the text. -->
  <xsl:template match="tei:cit[f:is-block(.)]" mode="html">
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'cit'"/></xsl:call-template>
      <xsl:for-each-group select="node()[not(self::text()[not(normalize-space())])]" group-adjacent="boolean(self::*[f:is-block(.)])">
        <xsl:choose>
          <xsl:when test="current-grouping-key()"><xsl:apply-templates select="current-group()" mode="html"/></xsl:when>
          <xsl:otherwise><p class="cit-source"><xsl:apply-templates select="current-group()" mode="html"/></p></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each-group>
    </div>
  </xsl:template>


  <xsl:template match="tei:epigraph" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'epigraph'"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <!-- ======================= lists ======================= -->

  <xsl:template match="tei:list" mode="html">
    <xsl:variable name="ordered" select="tokenize(lower-case(@type)) = ('ordered', 'numbered', 'decimal')
        or tokenize(lower-case(@rend)) = ('numbered', 'ordered', 'decimal')"/>
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'list'"/></xsl:call-template>
      <xsl:apply-templates select="tei:head" mode="html"/>
      <xsl:choose>
        <xsl:when test="tei:label">
          <dl class="gloss">
            <xsl:for-each-group select="* except tei:head" group-starting-with="tei:label">
              <xsl:for-each select="current-group()">
                <xsl:choose>
                  <xsl:when test="self::tei:label"><dt><xsl:call-template name="f:attrs"/><xsl:apply-templates mode="html"/></dt></xsl:when>
                  <xsl:when test="self::tei:item"><dd><xsl:call-template name="f:attrs"/><xsl:apply-templates mode="html"/></dd></xsl:when>
                  <xsl:otherwise><dd><xsl:apply-templates select="." mode="html"/></dd></xsl:otherwise>
                </xsl:choose>
              </xsl:for-each>
            </xsl:for-each-group>
          </dl>
        </xsl:when>
        <xsl:otherwise>
          <xsl:element name="{if ($ordered) then 'ol' else 'ul'}">
            <xsl:for-each select="* except tei:head">
              <xsl:choose>
                <xsl:when test="self::tei:item">
                  <li>
                    <xsl:call-template name="f:attrs"/>
                    <xsl:if test="$ordered and matches(@n, '^\d+$')"><xsl:attribute name="value" select="@n"/></xsl:if>
                    <xsl:if test="normalize-space(@n) and not($ordered and matches(@n, '^\d+$'))">
                      <span class="item-n"><xsl:value-of select="@n"/></span><xsl:text> </xsl:text>
                    </xsl:if>
                    <xsl:apply-templates mode="html"/>
                  </li>
                </xsl:when>
                <xsl:otherwise><li class="list-other"><xsl:apply-templates select="." mode="html"/></li></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </xsl:element>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <!-- An item outside a list (not valid TEI, but keep its words). -->
  <xsl:template match="tei:item" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'item'"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <!-- ======================= tables ======================= -->

  <xsl:template match="tei:table" mode="html">
    <div class="table-wrap">
      <table>
        <xsl:call-template name="f:attrs"/>
        <xsl:if test="tei:head">
          <caption><xsl:for-each select="tei:head"><xsl:if test="position() gt 1"><br/></xsl:if><xsl:apply-templates mode="html"/></xsl:for-each></caption>
        </xsl:if>
        <tbody>
          <xsl:apply-templates select="tei:row" mode="html"/>
        </tbody>
      </table>
      <xsl:apply-templates select="* except (tei:head, tei:row)" mode="html"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:row" mode="html">
    <tr><xsl:call-template name="f:attrs"/><xsl:apply-templates mode="html"/></tr>
  </xsl:template>

  <xsl:template match="tei:cell" mode="html">
    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
      <xsl:call-template name="f:attrs"/>
      <xsl:if test="matches(@cols, '^[1-9]\d*$') and @cols != '1'"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
      <xsl:if test="matches(@rows, '^[1-9]\d*$') and @rows != '1'"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <!-- ======================= figures ======================= -->

  <xsl:template match="tei:figure" mode="html">
    <figure>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="if (.//tei:graphic) then 'figure' else 'figure no-image'"/></xsl:call-template>
      <xsl:choose>
        <xsl:when test="tei:graphic | tei:media">
          <xsl:apply-templates select="tei:graphic | tei:media" mode="html"/>
        </xsl:when>
        <xsl:when test="not(tei:figure)">
          <div class="figure-placeholder">Picture not reproduced in this edition</div>
        </xsl:when>
      </xsl:choose>
      <xsl:apply-templates select="tei:figure" mode="html"/>
      <xsl:variable name="caption" select="* except (tei:graphic, tei:media, tei:figure)"/>
      <xsl:if test="$caption">
        <figcaption>
          <xsl:for-each select="$caption">
            <xsl:choose>
              <xsl:when test="self::tei:head"><p class="figure-head"><xsl:call-template name="f:attrs"/><xsl:apply-templates mode="html"/></p></xsl:when>
              <xsl:when test="self::tei:figDesc"><p class="figdesc"><xsl:call-template name="f:attrs"/><span class="label">Description: </span><xsl:apply-templates mode="html"/></p></xsl:when>
              <xsl:when test="f:is-block(.)"><xsl:apply-templates select="." mode="html"/></xsl:when>
              <xsl:otherwise><p><xsl:apply-templates select="." mode="html"/></p></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <!--
    Images are not bundled with the edition; a graphic is shown as a labelled
    placeholder naming its file, so that no page loads anything from elsewhere.
  -->
  <xsl:template match="tei:graphic | tei:media" mode="html">
    <div class="figure-placeholder">
      <xsl:call-template name="f:attrs"/>
      <xsl:text>Image not reproduced</xsl:text>
      <xsl:if test="normalize-space(@url)">: <span class="graphic-url"><xsl:value-of select="@url"/></span></xsl:if>
      <xsl:if test="tei:desc"><xsl:text> — </xsl:text><xsl:apply-templates select="tei:desc/node()" mode="html"/></xsl:if>
    </div>
  </xsl:template>

  <!-- ======================= verse and drama ======================= -->

  <xsl:template match="tei:lg" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'lg'"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <xsl:template match="tei:l" mode="html">
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'l'"/></xsl:call-template>
      <xsl:if test="normalize-space(@n)"><span class="l-n" aria-hidden="true"><xsl:value-of select="@n"/><xsl:text> </xsl:text></span></xsl:if>
      <xsl:apply-templates mode="html"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:sp" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'sp'"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <xsl:template match="tei:speaker" mode="html">
    <p><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'speaker'"/></xsl:call-template><xsl:apply-templates mode="html"/></p>
  </xsl:template>

  <xsl:template match="tei:stage" mode="html">
    <xsl:element name="{if (f:is-block(.)) then 'p' else 'span'}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'stage'"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:castList | tei:spGroup" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <!-- ======================= front and back matter ======================= -->

  <xsl:template match="tei:titlePage" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'title-page'"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <xsl:template match="tei:docTitle" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'doc-title'"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <xsl:template match="tei:titlePart | tei:docAuthor | tei:docImprint | tei:docDate | tei:docEdition | tei:byline
                       | tei:dateline | tei:trailer | tei:argument/tei:p" mode="html">
    <xsl:element name="{if (f:contains-block(.)) then 'div' else if (f:is-block(.) or self::tei:trailer or self::tei:p) then 'p' else 'span'}">
      <xsl:call-template name="f:attrs">
        <xsl:with-param name="class" select="f:class-name(.)"/>
      </xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:argument" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template><xsl:apply-templates mode="html"/></div>
  </xsl:template>

  <xsl:template match="tei:salute | tei:signed | tei:label | tei:address | tei:fw" mode="html">
    <xsl:element name="{if (f:contains-block(.)) then 'div' else if (f:is-block(.)) then 'p' else 'span'}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:addrLine" mode="html">
    <span class="addr-line"><xsl:call-template name="f:attrs"/><xsl:apply-templates mode="html"/></span>
    <xsl:if test="following-sibling::tei:addrLine"><br/></xsl:if>
  </xsl:template>

  <!-- ======================= bibliographies ======================= -->

  <xsl:template match="tei:listBibl" mode="html">
    <div>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'list-bibl'"/></xsl:call-template>
      <xsl:apply-templates select="tei:head" mode="html"/>
      <ul class="bibl-list">
        <xsl:for-each select="* except tei:head">
          <li>
            <xsl:choose>
              <xsl:when test="self::tei:bibl or self::tei:biblStruct or self::tei:biblFull">
                <xsl:call-template name="f:attrs"><xsl:with-param name="always-id" select="true()"/></xsl:call-template>
                <xsl:apply-templates select="." mode="html-bibl-entry"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:attribute name="class" select="'list-other'"/>
                <xsl:apply-templates select="." mode="html"/>
              </xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:for-each>
      </ul>
    </div>
  </xsl:template>

  <!-- An entry of a bibliography: a transcribed bibl as transcribed; a structured one in Chicago style. -->
  <xsl:template match="tei:bibl" mode="html-bibl-entry">
    <xsl:apply-templates mode="html"/>
    <xsl:call-template name="f:to-consolidated"/>
  </xsl:template>

  <xsl:template match="tei:biblStruct | tei:biblFull" mode="html-bibl-entry">
    <span class="csl-entry"><xsl:sequence select="f:chicago-html(f:bib-record(.))"/></span>
    <xsl:call-template name="f:to-consolidated"/>
    <xsl:for-each select=".//tei:note">
      <xsl:text> </xsl:text><span class="bibl-note"><xsl:apply-templates mode="html"/></span>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:biblStruct | tei:biblFull" mode="html">
    <xsl:element name="{if (f:is-block(.)) then 'p' else 'span'}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'bibl'"/><xsl:with-param name="always-id" select="true()"/></xsl:call-template>
      <xsl:apply-templates select="." mode="html-bibl-entry"/>
    </xsl:element>
  </xsl:template>

  <!-- Register lists inside a document (e.g. a castList or a listPerson in the text): their words, as lists. -->
  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent" mode="html">
    <div><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'list-entities'"/></xsl:call-template>
      <xsl:apply-templates select="tei:head" mode="html"/>
      <ul><xsl:for-each select="* except tei:head"><li><xsl:call-template name="f:attrs"/><xsl:apply-templates select="." mode="html-entity"/></li></xsl:for-each></ul>
    </div>
  </xsl:template>

  <xsl:template match="*" mode="html-entity">
    <xsl:for-each select="node()">
      <xsl:if test="self::* and preceding-sibling::*"><xsl:text> </xsl:text></xsl:if>
      <xsl:apply-templates select="." mode="html"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:eg | tei:egXML" mode="html">
    <pre><xsl:call-template name="f:attrs"/><code><xsl:value-of select="if (self::tei:egXML) then serialize(node()) else string(.)"/></code></pre>
  </xsl:template>

  <!-- ======================= fallback ======================= -->

  <!--
    Any other element, from TEI or elsewhere: its content, in a div when it
    holds blocks and a span otherwise, with its name as a class for styling.
  -->
  <xsl:template match="*" mode="html" priority="-1">
    <xsl:element name="{if (f:is-block(.)) then 'div' else 'span'}">
      <xsl:call-template name="f:attrs">
        <xsl:with-param name="class" select="'tei-' || local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <!-- Analytic and metadata elements inside the text carry no running text of their own. -->
  <xsl:template match="tei:index | tei:interp | tei:interpGrp | tei:linkGrp | tei:link | tei:spanGrp | tei:span
                       | tei:joinGrp | tei:join | tei:alt | tei:altGrp | tei:certainty | tei:precision | tei:respons
                       | tei:fs | tei:fLib | tei:fvLib" mode="html"/>

</xsl:stylesheet>
