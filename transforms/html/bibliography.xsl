<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/bibliography.xsl: the consolidated bibliography page. Entries of the
  bibliography registers (listBibl in registers/*.xml) first, then the works
  cited in each text; in Chicago style, alphabetical, each with an anchor and
  links back to every place in the texts that cites it.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    exclude-result-prefixes="#all">

  <xsl:key name="bibl-by-pointer" match="tei:text//tei:bibl[@corresp or @sameAs or @copyOf or @ref or @source]"
      use="(@corresp, @sameAs, @copyOf, @ref, @source) ! f:pointer-ids(string(.))"/>

  <!--
    A consolidated bibliography lists, in note[@type='citedIn'], pointers to the
    places that cite each work ("../tei/doc.xml#id"); this key finds the work
    from such a place.
  -->
  <xsl:key name="cited-in" match="tei:listBibl/*[@xml:id]"
      use="tei:note[@type = 'citedIn']//tei:ptr/@target ! f:file-fragment(string(.))"/>

  <!-- "doc#id" from "../tei/doc.xml#id" -->
  <xsl:function name="f:file-fragment" as="xs:string">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:sequence select="replace(tokenize(substring-before($pointer || '#', '#'), '/')[last()], '\.xml$', '') || '#' || substring-after($pointer, '#')"/>
  </xsl:function>

  <!-- The work of the consolidated bibliography that lists this element (a bibl of a document) as citing it. -->
  <xsl:function name="f:consolidated-entry" as="element()?">
    <xsl:param name="b" as="element()"/>
    <xsl:variable name="file" select="replace(tokenize(string(base-uri(root($b)/*)), '/')[last()], '\.xml$', '')"/>
    <xsl:sequence select="if ($b/@xml:id) then ($registers ! key('cited-in', $file || '#' || $b/@xml:id, .))[1] else ()"/>
  </xsl:function>

  <xsl:template name="bibliography">
    <xsl:variable name="register-entries" select="f:register-bib-entries($registers)"/>
    <xsl:if test="$f:has-bibliography-page">
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'Bibliography'"/>
      <xsl:with-param name="nav-current" select="'bibliography'"/>
      <xsl:with-param name="body-class" select="'bibliography'"/>
      <xsl:with-param name="meta" as="element()*">
        <meta name="description" content="Works cited in the texts of {$site-title}, in Chicago style."/>
        <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
        <meta name="DC.title" content="Bibliography — {$site-title}"/>
        <meta name="DC.type" content="Text"/>
      </xsl:with-param>
      <xsl:with-param name="content">
        <header class="register-header">
          <h1 id="~title">Bibliography</h1>
          <p class="lede">Works cited in the texts, in the style of the <i>Chicago Manual of Style</i> (notes and bibliography). Entries the texts give as running text are reproduced as printed. Each entry links to the places that cite it.</p>
          <xsl:if test="$bibliography-href and 'edition' = $bibliography-slugs">
            <p class="downloads"><span class="label">Download: </span>
              <a href="{$bibliography-href}edition.bib">BibTeX</a><xsl:text> </xsl:text>
              <a href="{$bibliography-href}edition.ris">RIS</a><xsl:text> </xsl:text>
              <a href="{$bibliography-href}edition.json">CSL-JSON</a><xsl:text> </xsl:text>
              <a href="{$bibliography-href}edition.txt">plain text</a>
            </p>
          </xsl:if>
        </header>
        <xsl:if test="$register-entries">
          <section class="bib-section" id="~works" aria-labelledby="~works-h">
            <h2 id="~works-h">Works cited</h2>
            <xsl:call-template name="f:bib-list">
              <xsl:with-param name="entries" select="$register-entries"/>
              <xsl:with-param name="from-register" select="true()"/>
            </xsl:call-template>
          </section>
        </xsl:if>
        <!-- without a consolidated bibliography, the works cited in each text -->
        <xsl:for-each select="$documents[empty($register-entries)]">
          <xsl:variable name="entries" select="f:bib-entries(.)[f:renders-id(.)][not(@xml:id and exists(f:bib-register-entry(@xml:id)))]"/>
          <xsl:if test="$entries">
            <section class="bib-section" id="{f:slug(.)}~works" aria-labelledby="{f:slug(.)}~works-h">
              <h2 id="{f:slug(.)}~works-h">Cited in <cite><xsl:value-of select="f:title(.)"/></cite></h2>
              <xsl:call-template name="f:bib-list">
                <xsl:with-param name="entries" select="$entries"/>
                <xsl:with-param name="doc" select="."/>
              </xsl:call-template>
            </section>
          </xsl:if>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- Entries, sorted, equal entries (same text) shown once with all their places. -->
  <xsl:template name="f:bib-list">
    <xsl:param name="entries" as="element()*"/>
    <xsl:param name="doc" as="node()?" select="()"/>
    <xsl:param name="from-register" as="xs:boolean" select="false()"/>
    <xsl:variable name="records" as="element(r:record)*">
      <xsl:for-each select="$entries">
        <xsl:variable name="r" select="f:bib-record(.)"/>
        <r:record>
          <xsl:sequence select="$r/@*, $r/node()"/>
          <r:key><xsl:value-of select="f:record-sort-key($r)"/></r:key>
          <r:same><xsl:value-of select="f:chicago-text($r, f:chicago-creator($r))"/></r:same>
          <r:pos><xsl:value-of select="position()"/></r:pos>
        </r:record>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="sorted" as="element(r:record)*">
      <xsl:perform-sort select="$records">
        <xsl:sort select="r:key" collation="{$f:collation}"/>
        <xsl:sort select="r:same" collation="{$f:collation}"/>
        <xsl:sort select="xs:integer(r:pos)"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:variable name="groups" as="element(r:record)*">
      <xsl:for-each-group select="$sorted" group-adjacent="string(r:same)">
        <xsl:for-each select="current-group()[1]">
          <r:record>
            <xsl:sequence select="@*, node()"/>
            <xsl:for-each select="current-group()"><r:member><xsl:value-of select="r:pos"/></r:member></xsl:for-each>
          </r:record>
        </xsl:for-each>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="creators" select="f:chicago-creators($groups)"/>
    <ul class="bibl-list bibliography-list">
      <xsl:for-each select="$groups">
        <xsl:variable name="i" select="position()"/>
        <xsl:variable name="members" select="for $m in r:member return $entries[xs:integer($m)]"/>
        <xsl:variable name="first" select="$members[1]"/>
        <li id="{if ($from-register) then string($first/@xml:id) else f:slug($doc) || '~' || f:anchor($first)}">
          <span class="csl-entry"><xsl:sequence select="f:chicago-html(., $creators[$i])"/></span>
          <!-- the other works shown as this one keep their ids: the texts link to each of them -->
          <xsl:if test="$from-register">
            <xsl:for-each select="$members[position() gt 1][@xml:id]"><span id="{@xml:id}"/></xsl:for-each>
          </xsl:if>
          <xsl:variable name="places" as="element()*">
            <xsl:for-each select="$members">
              <xsl:variable name="entry" select="."/>
              <xsl:choose>
                <xsl:when test="$from-register">
                  <xsl:for-each select="$entry/tei:note[@type = 'citedIn']//tei:ptr/@target">
                    <xsl:variable name="href" select="f:href($entry, string(.))"/>
                    <xsl:variable name="doc" select="f:document-for-file(substring-before(string(.) || '#', '#'))"/>
                    <xsl:if test="exists($href) and exists($doc)"><a href="{$href}"><xsl:value-of select="f:title($doc)"/></a></xsl:if>
                  </xsl:for-each>
                  <xsl:for-each select="$documents">
                    <xsl:variable name="d" select="."/>
                    <xsl:for-each select="(key('pointer-by-target', string($entry/@xml:id), $d), key('bibl-by-pointer', string($entry/@xml:id), $d))[f:renders-id(.)]">
                      <a href="{f:doc-href($d)}#{f:anchor(.)}"><xsl:value-of select="f:title($d)"/></a>
                    </xsl:for-each>
                  </xsl:for-each>
                </xsl:when>
                <xsl:otherwise>
                  <a href="{f:doc-href($doc)}#{f:anchor($entry)}"><xsl:value-of select="if ($entry/parent::tei:listBibl) then 'in the bibliography of the text' else 'in the text'"/></a>
                  <xsl:for-each select="$entry/@xml:id ! (key('pointer-by-target', string(.), $doc), key('bibl-by-pointer', string(.), $doc))[f:renders-id(.)]">
                    <a href="{f:doc-href($doc)}#{f:anchor(.)}">cited</a>
                  </xsl:for-each>
                </xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </xsl:variable>
          <xsl:if test="$places">
            <span class="bib-places"><xsl:text> </xsl:text><span class="label">See </span>
              <xsl:for-each select="$places">
                <xsl:if test="position() gt 1">, </xsl:if>
                <xsl:sequence select="."/>
              </xsl:for-each>
            </span>
          </xsl:if>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

</xsl:stylesheet>
