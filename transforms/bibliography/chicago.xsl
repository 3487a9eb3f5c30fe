<?xml version="1.0" encoding="UTF-8"?>
<!--
  bibliography/chicago.xsl: bibliography entries in the Chicago Manual of
  Style (17th ed.), notes-bibliography system, bibliography form:

    Book     Family, Given, and Given Family. Title. Edited by …. Translated by ….
             Edition. Series. Place: Publisher, Year.
    Chapter  Family, Given. "Title." In Book Title, edited by …, pages. Place: Publisher, Year.
    Article  Family, Given. "Title." Journal vol, no. issue (Year): pages.
    Thesis   Family, Given. "Title." PhD diss., Institution, Year.
    Web page Family, Given. "Title." Site or Publisher. Date. URL.

  Book, journal and series titles are italic (HTML <i>; plain text shows them
  without markup). An entry that the source gives as transcribed text (a bibl
  with untagged words) is reproduced as transcribed, with its titles in
  italics: the edition does not rewrite what it cannot read field by field.
  An entry by the same authors as the one before starts with "———".
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    exclude-result-prefixes="#all">

  <!-- "A", "A and B" (Chicago: "A, and B" for the inverted first), "A, B, and C" -->
  <xsl:function name="f:chicago-names" as="xs:string">
    <xsl:param name="people" as="element()*"/>
    <xsl:param name="invert-first" as="xs:boolean"/>
    <xsl:variable name="names" select="for $i in 1 to count($people) return
        if ($i = 1 and $invert-first) then f:inverted-name($people[$i]) else f:direct-name($people[$i])"/>
    <xsl:sequence select="if (count($names) le 1) then string($names[1])
        else if (count($names) = 2) then $names[1] || (if ($invert-first and not($people[1]/@literal)) then ',' else '') || ' and ' || $names[2]
        else string-join($names[position() lt last()], ', ') || ', and ' || $names[last()]"/>
  </xsl:function>

  <!-- Who an entry is by, as it opens the entry ("Serge, Victor", or "Smith, Jane, ed."). -->
  <xsl:function name="f:chicago-creator" as="xs:string?">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:sequence select="if ($r/r:author) then f:chicago-names($r/r:author, true())
        else if ($r/r:editor) then f:chicago-names($r/r:editor, true()) || (if (count($r/r:editor) gt 1) then ', eds.' else ', ed.')
        else ()"/>
  </xsl:function>

  <!--
    The entry as segments: <r:seg style="italic|plain">. A transcribed entry
    is its transcription; a fielded one is composed from its fields.
  -->
  <xsl:function name="f:chicago-segs" as="element(r:seg)*">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:param name="creator-text" as="xs:string?"/>
    <xsl:choose>
      <xsl:when test="$r/@structured = 'false'">
        <xsl:sequence select="f:trim-segs($r/r:rich/r:seg)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="type" select="string($r/@type)"/>
        <xsl:variable name="quoted" select="$r/r:title/@level = ('a', 'u') or $type = ('chapter', 'article-journal', 'article-newspaper', 'article-magazine', 'thesis',
                                                     'webpage', 'manuscript', 'letter', 'interview', 'speech')
                                            or ($type = 'document' and exists($r/r:container))"/>
        <xsl:variable name="year" select="string(($r/r:date/@year, $r/r:date)[1])"/>
        <xsl:variable name="imprint" select="string-join((
            string-join(($r/r:place, $r/r:publisher), ': ')[. != ''],
            $year[. != '' and not($type = ('article-journal', 'article-newspaper', 'article-magazine', 'webpage', 'thesis'))]), ', ')"/>
        <xsl:variable name="eds" select="$r/r:editor[exists($r/r:author)]"/>
        <!-- creator -->
        <xsl:if test="$creator-text">
          <r:seg><xsl:value-of select="f:with-stop($creator-text) || ' '"/></r:seg>
        </xsl:if>
        <!-- title -->
        <xsl:for-each select="$r/r:title">
          <xsl:choose>
            <xsl:when test="$quoted"><r:seg><xsl:value-of select="'“' || f:with-stop(.) || '” '"/></r:seg></xsl:when>
            <xsl:otherwise><r:seg style="italic"><xsl:value-of select="."/></r:seg><r:seg><xsl:value-of select="if (matches(., '[.?!]$')) then ' ' else '. '"/></r:seg></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <!-- container -->
        <xsl:choose>
          <xsl:when test="$type = 'chapter' and $r/r:container">
            <r:seg>In </r:seg><r:seg style="italic"><xsl:value-of select="$r/r:container"/></r:seg>
            <r:seg><xsl:value-of select="string-join((
                '',
                if ($eds) then 'edited by ' || f:chicago-names($eds, false()) else (),
                $r/r:pages), ', ') || '. '"/></r:seg>
          </xsl:when>
          <xsl:when test="$type = ('article-journal', 'article-magazine', 'article-newspaper') and $r/r:container">
            <r:seg style="italic"><xsl:value-of select="$r/r:container"/></r:seg>
            <r:seg><xsl:value-of select="
                (if ($r/r:volume) then ' ' || $r/r:volume else '')
                || (if ($r/r:issue) then (if ($r/r:volume) then ', no. ' else ' no. ') || $r/r:issue else '')
                || (if ($type = 'article-journal') then (if ($year) then ' (' || $year || ')' else '') || (if ($r/r:pages) then ': ' || $r/r:pages else '')
                    else (if ($year) then ', ' || string(($r/r:date, $year)[1]) else '') || (if ($r/r:pages) then ', ' || $r/r:pages else ''))
                || '. '"/></r:seg>
          </xsl:when>
          <xsl:when test="$r/r:container">
            <r:seg style="{if ($r/r:container/@level = 'a') then 'plain' else 'italic'}"><xsl:value-of select="$r/r:container"/></r:seg>
            <r:seg>. </r:seg>
          </xsl:when>
        </xsl:choose>
        <xsl:if test="$eds and not($type = 'chapter' and $r/r:container)">
          <r:seg><xsl:value-of select="'Edited by ' || f:chicago-names($eds, false()) || '. '"/></r:seg>
        </xsl:if>
        <xsl:if test="$r/r:translator">
          <r:seg><xsl:value-of select="'Translated by ' || f:chicago-names($r/r:translator, false()) || '. '"/></r:seg>
        </xsl:if>
        <xsl:for-each select="$r/r:edition"><r:seg><xsl:value-of select="f:with-stop(.) || ' '"/></r:seg></xsl:for-each>
        <xsl:for-each select="$r/r:series"><r:seg><xsl:value-of select="f:with-stop(.) || ' '"/></r:seg></xsl:for-each>
        <xsl:for-each select="$r/r:volume[not($type = ('article-journal', 'article-magazine', 'article-newspaper'))]"><r:seg><xsl:value-of select="'Vol. ' || . || '. '"/></r:seg></xsl:for-each>
        <xsl:choose>
          <xsl:when test="$type = 'thesis'">
            <r:seg><xsl:value-of select="f:with-stop(string-join(($r/r:genre, $r/r:institution, $year[. != '']), ', ')) || ' '"/></r:seg>
          </xsl:when>
          <xsl:when test="$type = 'webpage'">
            <xsl:for-each select="$r/r:publisher[not(. = $r/r:container)]"><r:seg><xsl:value-of select="f:with-stop(.) || ' '"/></r:seg></xsl:for-each>
            <xsl:for-each select="$r/r:date"><r:seg><xsl:value-of select="f:with-stop(.) || ' '"/></r:seg></xsl:for-each>
          </xsl:when>
          <xsl:when test="$type = ('article-journal', 'article-magazine', 'article-newspaper') and $r/r:container"/>
          <xsl:when test="$imprint != ''">
            <r:seg><xsl:value-of select="f:with-stop($imprint) || ' '"/></r:seg>
          </xsl:when>
          <xsl:when test="$r/r:date and not($r/r:date/@year)">
            <r:seg><xsl:value-of select="f:with-stop($r/r:date) || ' '"/></r:seg>
          </xsl:when>
        </xsl:choose>
        <xsl:if test="$r/r:pages and not($type = ('chapter', 'article-journal', 'article-magazine', 'article-newspaper'))">
          <r:seg><xsl:value-of select="$r/r:pages || '. '"/></r:seg>
        </xsl:if>
        <xsl:for-each select="$r/r:doi"><r:seg><xsl:value-of select="'https://doi.org/' || . || '. '"/></r:seg></xsl:for-each>
        <xsl:for-each select="$r/r:url[empty($r/r:doi)]"><r:seg style="url"><xsl:value-of select="."/></r:seg><r:seg>. </r:seg></xsl:for-each>
        <xsl:for-each select="$r/r:note"><r:seg><xsl:value-of select="f:with-stop(.) || ' '"/></r:seg></xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Segments without leading and trailing space, empty ones dropped. -->
  <xsl:function name="f:trim-segs" as="element(r:seg)*">
    <xsl:param name="segs" as="element(r:seg)*"/>
    <xsl:for-each select="$segs">
      <r:seg>
        <xsl:copy-of select="@style"/>
        <xsl:value-of select="if (position() = 1) then replace(., '^\s+', '') else if (position() = last()) then replace(., '\s+$', '') else ."/>
      </r:seg>
    </xsl:for-each>
  </xsl:function>

  <!-- The creator part of each record of a list, "———" when it repeats the one before. -->
  <xsl:function name="f:chicago-creators" as="xs:string*">
    <xsl:param name="records" as="element(r:record)*"/>
    <xsl:for-each select="$records">
      <xsl:variable name="i" select="position()"/>
      <xsl:variable name="c" select="f:chicago-creator(.)"/>
      <xsl:sequence select="if ($i gt 1 and exists($c) and @structured = 'true' and $records[$i - 1]/@structured = 'true'
                                and $c = f:chicago-creator($records[$i - 1])) then '———' else string($c)"/>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="f:chicago-html" as="node()*">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:sequence select="f:chicago-html($r, f:chicago-creator($r))"/>
  </xsl:function>

  <xsl:function name="f:chicago-html" as="node()*">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:param name="creator-text" as="xs:string?"/>
    <xsl:variable name="segs" select="f:chicago-segs($r, $creator-text)"/>
    <xsl:for-each select="$segs">
      <xsl:variable name="v" select="if (position() = last()) then replace(., '\s+$', '') else string(.)"/>
      <xsl:choose>
        <xsl:when test="@style = 'italic'"><i><xsl:value-of select="$v"/></i></xsl:when>
        <xsl:when test="@style = 'url' and f:is-external($v)"><a href="{$v}" class="url"><xsl:value-of select="$v"/></a></xsl:when>
        <xsl:otherwise><xsl:value-of select="$v"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="f:chicago-text" as="xs:string">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:param name="creator-text" as="xs:string?"/>
    <xsl:sequence select="f:norm(string-join(f:chicago-segs($r, $creator-text)))"/>
  </xsl:function>

</xsl:stylesheet>
