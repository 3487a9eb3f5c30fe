<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/links.xsl: links. A pointer becomes a link only when its target is
  on a page of the edition (an element of a text, a register entry, an entry
  of the consolidated bibliography) or outside it (an http(s) URL); anything
  else keeps its words without a link, so the site has no broken links.
  Names of persons, places and organisations link to their register entry.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- Elements that render no id (so a link to them would break). -->
  <xsl:variable name="f:no-id-names" as="xs:string+" select="('index', 'interp', 'interpGrp', 'linkGrp', 'link', 'spanGrp',
      'span', 'joinGrp', 'join', 'alt', 'altGrp', 'certainty', 'precision', 'respons', 'fs', 'fLib', 'fvLib', 'egXML', 'eg')"/>
  <!-- The elements of a document that render no id (few or none: the ancestors of an element are looked at
       only when its document has some; this runs for every mention and link). The pattern spells out
       $f:no-id-names: written as *[local-name() = $f:no-id-names] it costs a list test on every element
       of every document (measured: the thesis's mentions lists 0.2 s slower). Change both together. -->
  <xsl:key name="f:no-id-elements" match="*:index | *:interp | *:interpGrp | *:linkGrp | *:link | *:spanGrp | *:span
      | *:joinGrp | *:join | *:alt | *:altGrp | *:certainty | *:precision | *:respons | *:fs | *:fLib | *:fvLib | *:egXML | *:eg"
      use="'all'"/>

  <xsl:function name="f:renders-id" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="root" select="root($e)"/>
    <xsl:variable name="may-hold" select="if ($root instance of document-node()) then exists(key('f:no-id-elements', 'all', $root)) else true()"/>
    <xsl:sequence select="not($may-hold and $e/ancestor-or-self::*[local-name() = $f:no-id-names])
        and not($e/ancestor::*[self::tei:biblStruct or self::tei:biblFull])
        and not($e/self::tei:note[f:note-is-inline(.)][not(@xml:id)])"/>
  </xsl:function>

  <!-- The documents of $documents by slug and by file name (without .xml), the first one winning. -->
  <xsl:variable name="f:documents-by-name" as="map(xs:string, document-node())" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="map:merge(reverse($documents) ! (map{replace(tokenize(string(base-uri(*)), '/')[last()], '\.xml$', ''): .}, map{f:slug(.): .}),
                        map{'duplicates': 'use-last'})"/>

  <!-- The document of $documents a file reference ("other.xml", "../tei/other.xml") names. -->
  <xsl:function name="f:document-for-file" as="document-node()?">
    <xsl:param name="file" as="xs:string"/>
    <xsl:sequence select="$f:documents-by-name(replace(tokenize($file, '/')[last()], '\.xml$', ''))"/>
  </xsl:function>

  <!--
    Where a pointer (one token of @target, @corresp, ...) leads on the site, seen
    from the page of $from; empty when it leads nowhere we publish.
  -->
  <xsl:function name="f:href" as="xs:string?">
    <xsl:param name="from" as="node()"/>
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:variable name="p" select="normalize-space($pointer)"/>
    <xsl:variable name="file" select="if (contains($p, '#')) then substring-before($p, '#') else if (matches($p, '\.xml$')) then $p else ''"/>
    <!-- a pointer at a whole file ("other.xml") names no element in it -->
    <xsl:variable name="id" select="if ($file != '' and not(contains($p, '#'))) then () else f:pointer-ids($p)[1]"/>
    <xsl:variable name="here" select="root($from)"/>
    <xsl:choose>
      <xsl:when test="$p = ''"/>
      <xsl:when test="f:is-external($p)"><xsl:sequence select="$p"/></xsl:when>
      <xsl:when test="$file = '' and exists($id) and exists(key('text-id', $id, $here)[f:renders-id(.)])">
        <xsl:sequence select="'#' || $id"/>
      </xsl:when>
      <xsl:when test="exists($id) and exists(f:entry($id)[f:register-kind(.) = $f:register-pages])">
        <xsl:sequence select="f:register-kind(f:entry($id)) || '.html#' || $id"/>
      </xsl:when>
      <xsl:when test="exists($id) and exists(f:bib-register-entry($id))">
        <xsl:sequence select="'bibliography.html#' || $id"/>
      </xsl:when>
      <xsl:when test="$file != '' and exists(f:document-for-file($file))">
        <xsl:variable name="d" select="f:document-for-file($file)"/>
        <xsl:sequence select="if (exists($id)) then (if (exists(key('text-id', $id, $d)[f:renders-id(.)])) then f:doc-href($d) || '#' || $id else ())
                              else f:doc-href($d)"/>
      </xsl:when>
    </xsl:choose>
  </xsl:function>

  <!-- The first pointer of an attribute value that leads somewhere. -->
  <xsl:function name="f:first-href" as="xs:string?">
    <xsl:param name="from" as="node()"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:sequence select="(tokenize(normalize-space($value), ' ') ! f:href($from, .))[1]"/>
  </xsl:function>

  <!-- The element a same-document pointer names, if any. -->
  <xsl:function name="f:local-target" as="element()?">
    <xsl:param name="from" as="element()"/>
    <xsl:param name="href" as="xs:string?"/>
    <xsl:sequence select="if (starts-with($href, '#')) then key('text-id', substring($href, 2), root($from))[1] else ()"/>
  </xsl:function>

  <!-- Does this element render as a link (so nothing inside it may be one)? -->
  <xsl:function name="f:makes-link" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/self::tei:ref or $e/self::tei:ptr) then exists(f:first-href($e, $e/@target))
        else if ($e/self::tei:bibl) then exists(f:bib-target($e))
        else if (local-name($e) = $f:name-elements and namespace-uri($e) eq $f:tei-ns) then exists(f:entry-for($e))
        else false()"/>
  </xsl:function>

  <xsl:function name="f:in-link" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- only the ancestors f:makes-link may say yes to, by name first (every name and reference asks) -->
    <xsl:sequence select="some $a in $e/ancestor::*[exists($f:link-names(local-name()))][namespace-uri() eq $f:tei-ns] satisfies f:makes-link($a)"/>
  </xsl:function>

  <!-- ======================= ref and ptr ======================= -->

  <xsl:template match="tei:ref" mode="html">
    <xsl:variable name="href" select="if (f:in-link(.)) then () else f:first-href(., @target)"/>
    <xsl:variable name="target" select="f:local-target(., $href)"/>
    <xsl:choose>
      <xsl:when test="exists($href)">
        <a href="{$href}">
          <xsl:call-template name="f:attrs">
            <xsl:with-param name="class" select="if ($target/self::tei:note) then 'ref noteref' else 'ref'"/>
            <xsl:with-param name="always-id" select="true()"/>
          </xsl:call-template>
          <xsl:apply-templates mode="html"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'ref'"/></xsl:call-template><xsl:apply-templates mode="html"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ptr" mode="html">
    <xsl:param name="per-chapter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="href" select="if (f:in-link(.)) then () else f:first-href(., @target)"/>
    <xsl:variable name="target" select="f:local-target(., $href)"/>
    <xsl:variable name="label" select="
        if ($target/self::tei:note) then f:note-label($target, $per-chapter)
        else if ($target[f:is-div(.)]/tei:head) then f:head-text($target/tei:head[1])
        else if (exists($href) and f:is-external($href)) then $href
        else if (exists($href)) then '→'
        else normalize-space(@target)"/>
    <xsl:choose>
      <xsl:when test="exists($href)">
        <a href="{$href}">
          <xsl:call-template name="f:attrs">
            <xsl:with-param name="class" select="if ($target/self::tei:note) then 'ptr noteref' else 'ptr'"/>
            <xsl:with-param name="always-id" select="true()"/>
          </xsl:call-template>
          <xsl:if test="$label = '→'"><xsl:attribute name="aria-label" select="'See ' || @target"/></xsl:if>
          <xsl:choose>
            <xsl:when test="$target/self::tei:note"><sup><xsl:value-of select="$label"/></sup></xsl:when>
            <xsl:otherwise><xsl:value-of select="$label"/></xsl:otherwise>
          </xsl:choose>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="ptr"><xsl:call-template name="f:attrs"/><xsl:value-of select="$label"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ======================= names ======================= -->

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName
                       | tei:settlement | tei:country | tei:region | tei:bloc | tei:district" mode="html">
    <xsl:variable name="entry" select="if (f:in-link(.)) then () else f:entry-for(.)"/>
    <xsl:variable name="class" select="f:class-name(.)"/>
    <xsl:choose>
      <xsl:when test="exists($entry)">
        <a href="{f:register-kind($entry)}.html#{$entry/@xml:id}" title="{f:entry-label($entry)}">
          <xsl:call-template name="f:attrs">
            <xsl:with-param name="class" select="'name ' || $class || ' register-' || f:register-kind($entry)"/>
            <xsl:with-param name="always-id" select="true()"/>
          </xsl:call-template>
          <xsl:apply-templates mode="html"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'name ' || $class"/><xsl:with-param name="always-id" select="exists(f:name-ids(.))"/></xsl:call-template><xsl:apply-templates mode="html"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ======================= bibliographic references ======================= -->

  <!--
    Where a bibl that refers to an entry of a bibliography (@corresp, @sameAs,
    @copyOf, @ref or @source naming a listBibl entry) should link: the
    consolidated bibliography, or the document's own bibliography.
  -->
  <xsl:function name="f:bib-target" as="xs:string?">
    <xsl:param name="b" as="element()"/>
    <xsl:variable name="ids" select="($b/@corresp, $b/@sameAs, $b/@copyOf, $b/@ref, $b/@source) ! f:pointer-ids(string(.))"/>
    <xsl:sequence select="(for $id in $ids return
        if (exists(f:bib-register-entry($id))) then 'bibliography.html#' || $id
        else if (exists(key('text-id', $id, root($b))[self::tei:bibl or self::tei:biblStruct or self::tei:biblFull][not(. is $b)])) then '#' || $id
        else ())[1]"/>
  </xsl:function>

  <xsl:template name="f:bib-link-content">
    <xsl:variable name="href" select="if (f:in-link(.)) then () else f:bib-target(.)"/>
    <xsl:choose>
      <xsl:when test="exists($href)"><a class="bibref" href="{$href}"><xsl:apply-templates mode="html"/></a></xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates mode="html"/>
        <xsl:call-template name="f:to-consolidated"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- After a citation that the consolidated bibliography lists: a small link to that work there. -->
  <xsl:template name="f:to-consolidated">
    <xsl:variable name="work" select="f:consolidated-entry(.)"/>
    <xsl:if test="exists($work) and $f:has-bibliography-page">
      <xsl:text>&#xA0;</xsl:text>
      <a class="to-bibliography" href="bibliography.html#{$work/@xml:id}" aria-label="This work in the bibliography" title="This work in the bibliography">↗</a>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
