<?xml version="1.0" encoding="UTF-8"?>
<!--
  bibliography/model.xsl: reads a TEI bibl, biblStruct or biblFull into one
  neutral record (namespace urn:x-tei-edition:record) that every bibliography
  format is written from:

    <r:record id type structured>        type: book, article-journal, chapter,
      <r:author family given literal/>     thesis, webpage, manuscript, report,
      <r:editor …/> <r:translator …/>      article-newspaper, document
      <r:title/> <r:container/> <r:series/> <r:edition/>
      <r:date year literal/> <r:publisher/> <r:place/> <r:institution/> <r:genre/>
      <r:volume/> <r:issue/> <r:pages/> <r:url/> <r:doi/> <r:isbn/>
      <r:note/>* <r:text/>                  r:text: the whole entry as transcribed
    </r:record>

  Only what the TEI marks up is read into fields; text the encoder left
  untagged stays in r:text (and, for a transcribed entry, in r:note of the
  exchange formats). Years come from @when/@from/@notBefore or from a date
  that is nothing but a year; no date is guessed.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    exclude-result-prefixes="#all">

  <!-- TEI @type values (lower case) and the record type they mean. -->
  <xsl:variable name="f:bib-types" as="map(xs:string, xs:string)" select="map{
      'book': 'book', 'monograph': 'book', 'monogr': 'book', 'edited-book': 'book', 'collection': 'book',
      'article': 'article-journal', 'journal-article': 'article-journal', 'journalarticle': 'article-journal', 'journal': 'article-journal',
      'magazine': 'article-magazine', 'magazine-article': 'article-magazine',
      'newspaper': 'article-newspaper', 'newspaper-article': 'article-newspaper',
      'chapter': 'chapter', 'book-section': 'chapter', 'booksection': 'chapter', 'incollection': 'chapter', 'inbook': 'chapter', 'essay': 'chapter',
      'thesis': 'thesis', 'phdthesis': 'thesis', 'dissertation': 'thesis', 'mastersthesis': 'thesis',
      'web': 'webpage', 'webpage': 'webpage', 'web-page': 'webpage', 'website': 'webpage', 'web-article': 'webpage', 'blog': 'webpage', 'blog-post': 'webpage', 'online': 'webpage',
      'manuscript': 'manuscript', 'unpublished': 'manuscript', 'letter': 'letter', 'interview': 'interview',
      'report': 'report', 'pamphlet': 'pamphlet', 'speech': 'speech', 'document': 'document'}"/>

  <xsl:function name="f:bib-record" as="element(r:record)">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="analytic" select="$e/tei:analytic[1]"/>
    <xsl:variable name="monogr" select="($e/tei:monogr, $e/tei:fileDesc)[1]"/>
    <!-- where the item's own responsibility statements are -->
    <xsl:variable name="own" select="if ($e/self::tei:biblFull) then $e/tei:fileDesc/tei:titleStmt else if ($analytic) then $analytic else if ($monogr) then $monogr else $e"/>
    <xsl:variable name="all" select="($e, $analytic, $monogr, $monogr/tei:imprint, $e/tei:fileDesc/(tei:titleStmt, tei:publicationStmt, tei:editionStmt))"/>
    <xsl:variable name="titles" select="$all/tei:title"/>
    <xsl:variable name="t-a" select="($analytic/tei:title, $titles[@level = 'a'])[1]"/>
    <xsl:variable name="t-u" select="$titles[@level = 'u'][1]"/>
    <xsl:variable name="t-j" select="$titles[@level = 'j'][1]"/>
    <xsl:variable name="t-m" select="($titles[@level = 'm'], if ($analytic) then $monogr/tei:title[not(@level = ('j', 's'))] else ())[1]"/>
    <xsl:variable name="t-s" select="($titles[@level = 's'], $e/tei:series/tei:title, $monogr/../tei:series/tei:title)[1]"/>
    <xsl:variable name="t-none" select="($titles[not(@level)][not(ancestor::tei:series)])[1]"/>
    <xsl:variable name="item-title" select="($t-a, $t-u, if ($t-m or $t-j) then () else $t-none, $t-m, $t-j)[1]"/>
    <xsl:variable name="container" select="if ($item-title is $t-m or $item-title is $t-j) then () else ($t-j, $t-m, $t-none[not(. is $item-title)])[1]"/>
    <xsl:variable name="declared" select="lower-case(normalize-space(($e/@type, $e/@subtype)[normalize-space()][1]))"/>
    <xsl:variable name="degree" select="($all/tei:note[@type = ('degree', 'thesisType', 'thesis')])[1]"/>
    <xsl:variable name="type" select="
        if (map:contains($f:bib-types, $declared)) then $f:bib-types($declared)
        else if (exists($degree)) then 'thesis'
        else if (exists($t-a) and exists($t-j)) then 'article-journal'
        else if (exists($t-a) and exists($t-m)) then 'chapter'
        else if (exists($t-u)) then 'manuscript'
        else if (exists($t-m) or exists($t-none) and empty($t-a)) then 'book'
        else if (exists($t-j)) then 'article-journal'
        else if (exists($t-a) and ($all/tei:idno[matches(@type, '^ur[il]$', 'i')] or $all/tei:ref[f:is-external(@target)] or $all/tei:ptr[f:is-external(@target)])) then 'webpage'
        else 'document'"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:variable name="date" select="($all/tei:date)[1]"/>
    <xsl:variable name="year" select="(
        ($date/(@when, @from, @notBefore, @notAfter)[matches(., '^-?\d{4}')] ! substring(replace(., '^-', ''), 1, 4)),
        ($date[matches(normalize-space(.), '^(c\.\s*)?\d{4}$')] ! replace(normalize-space(.), '\D', '')))[1]"/>
    <xsl:variable name="scopes" select="$all/tei:biblScope"/>
    <xsl:variable name="free" select="f:norm(string-join($e/text(), ' '))"/>
    <xsl:variable name="structured" select="not(matches($free, '[\p{L}\p{N}]', $f:fast-regex))"/>
    <xsl:variable name="fielded" select="exists(($all/(tei:author, tei:editor, tei:title, tei:date, tei:publisher, tei:pubPlace)))"/>
    <xsl:variable name="whole" select="f:norm(string-join($e//text()[not(ancestor::tei:note)], ''))"/>
    <r:record id="{f:anchor($e)}" type="{$type}" structured="{$structured}" fielded="{$fielded}">
      <xsl:for-each select="$own/tei:author">
        <xsl:sequence select="f:bib-person(., 'author')"/>
      </xsl:for-each>
      <xsl:for-each select="$all/tei:editor[not(@role = ('translator', 'trl'))]">
        <xsl:sequence select="f:bib-person(., 'editor')"/>
      </xsl:for-each>
      <xsl:for-each select="$all/tei:editor[@role = ('translator', 'trl')], $all/tei:respStmt[matches(tei:resp, 'transl', 'i')]/(tei:persName | tei:name | tei:orgName)">
        <xsl:sequence select="f:bib-person(., 'translator')"/>
      </xsl:for-each>
      <xsl:choose>
        <xsl:when test="$item-title"><r:title level="{($item-title/@level, if ($item-title is $t-a) then 'a' else ())[1]}"><xsl:value-of select="f:clean-title($item-title)"/></r:title></xsl:when>
        <xsl:when test="not($fielded) and $whole != ''"><r:title><xsl:value-of select="$whole"/></r:title></xsl:when>
      </xsl:choose>
      <xsl:for-each select="$container"><r:container level="{(@level, if (. is $t-j) then 'j' else 'm')[1]}"><xsl:value-of select="f:clean-title(.)"/></r:container></xsl:for-each>
      <xsl:for-each select="$t-s"><r:series><xsl:value-of select="f:clean-title(.)"/></r:series></xsl:for-each>
      <xsl:for-each select="($all/tei:edition)[1]"><r:edition><xsl:value-of select="f:norm(.)"/></r:edition></xsl:for-each>
      <xsl:if test="$date">
        <r:date>
          <xsl:if test="exists($year)"><xsl:attribute name="year" select="$year"/></xsl:if>
          <xsl:value-of select="if (normalize-space($date)) then f:norm($date) else ($date/(@when, @from, @notBefore, @notAfter))[1]"/>
        </r:date>
      </xsl:if>
      <xsl:for-each select="($all/tei:publisher)[1]"><r:publisher><xsl:value-of select="f:norm(.)"/></r:publisher></xsl:for-each>
      <xsl:for-each select="($all/tei:pubPlace)[1]"><r:place><xsl:value-of select="f:norm(.)"/></r:place></xsl:for-each>
      <xsl:if test="$type = 'thesis'">
        <xsl:for-each select="($all/tei:orgName, $all/tei:authority, $all/tei:publisher)[1]"><r:institution><xsl:value-of select="f:norm(.)"/></r:institution></xsl:for-each>
        <r:genre><xsl:value-of select="if ($degree) then f:norm($degree) else 'PhD diss.'"/></r:genre>
      </xsl:if>
      <xsl:for-each select="$scopes[lower-case((@unit, @type)[1]) = ('volume', 'vol')][1]"><r:volume><xsl:value-of select="f:scope(.)"/></r:volume></xsl:for-each>
      <xsl:for-each select="$scopes[lower-case((@unit, @type)[1]) = ('issue', 'number', 'no', 'num')][1]"><r:issue><xsl:value-of select="f:scope(.)"/></r:issue></xsl:for-each>
      <xsl:for-each select="$scopes[lower-case((@unit, @type)[1]) = ('page', 'pages', 'pp', 'p')][1]"><r:pages><xsl:value-of select="f:scope(.)"/></r:pages></xsl:for-each>
      <xsl:for-each select="(($all/tei:idno[matches(@type, '^ur[il]$', 'i')], $all/(tei:ref | tei:ptr)/@target[f:is-external(.)]) ! normalize-space(.))[1]"><r:url><xsl:value-of select="."/></r:url></xsl:for-each>
      <xsl:for-each select="($all/tei:idno[lower-case(@type) = 'doi'])[1]"><r:doi><xsl:value-of select="normalize-space(.)"/></r:doi></xsl:for-each>
      <xsl:for-each select="($all/tei:idno[lower-case(@type) = 'isbn'])[1]"><r:isbn><xsl:value-of select="normalize-space(.)"/></r:isbn></xsl:for-each>
      <xsl:for-each select="$all/tei:note[not(. is $degree)][not(@type = ('citedIn', 'mentions'))][normalize-space()]">
        <r:note><xsl:value-of select="f:norm(.)"/></r:note>
      </xsl:for-each>
      <xsl:if test="not($structured) and $fielded">
        <!-- the parts the encoder did not tag (imprint, pages, ...), as transcribed -->
        <r:note><xsl:value-of select="'As printed: ' || $whole"/></r:note>
      </xsl:if>
      <r:text><xsl:value-of select="$whole"/></r:text>
      <r:rich><xsl:apply-templates select="$e/node()" mode="bib-rich"/></r:rich>
    </r:record>
  </xsl:function>

  <!-- The entry as transcribed, in segments: titles of books, journals and series in italics. -->
  <xsl:template match="tei:title[not(@level = ('a', 'u'))]" mode="bib-rich">
    <r:seg style="italic"><xsl:value-of select="replace(string(.), '\s+', ' ', $f:fast-regex)"/></r:seg>
  </xsl:template>
  <xsl:template match="tei:note" mode="bib-rich"/>
  <xsl:template match="text()" mode="bib-rich">
    <r:seg><xsl:value-of select="replace(., '\s+', ' ', $f:fast-regex)"/></r:seg>
  </xsl:template>

  <!--
    A title as a field: without the quotation marks and the comma or colon that
    the citation put around it ("Esbozo critico,"), which belong to the
    citation, not to the title.
  -->
  <xsl:function name="f:clean-title" as="xs:string">
    <xsl:param name="t" as="element()"/>
    <xsl:variable name="ends" select="' &#9;&#10;&#13;,;:'"/>
    <xsl:variable name="s" select="f:trim-end(f:norm($t), $ends)"/>
    <!-- the regular expressions only for a title that could match them (Saxon's are slow: every title) -->
    <xsl:variable name="s" select="if (contains('&quot;“‘«', substring($s, 1, 1)) and matches($s, '^[&quot;“‘«].*[&quot;”’»][,;:.]?$'))
                                   then replace($s, '^[&quot;“‘«]\s*(.*?)\s*[,;:]?[&quot;”’»][,;:]?$', '$1') else $s"/>
    <xsl:sequence select="f:trim-end($s, $ends)"/>
  </xsl:function>

  <!-- "12" or "12–18" from a biblScope. -->
  <xsl:function name="f:scope" as="xs:string">
    <xsl:param name="s" as="element()"/>
    <xsl:sequence select="if ($s/@from and $s/@to and $s/@from ne $s/@to) then $s/@from || '–' || $s/@to
                          else if ($s/@from) then string($s/@from) else f:norm($s)"/>
  </xsl:function>

  <!-- A person or organisation responsible for a work, split into family and given names when it is a person. -->
  <xsl:function name="f:bib-person" as="element()">
    <xsl:param name="given-element" as="element()"/>
    <xsl:param name="role" as="xs:string"/>
    <xsl:variable name="e" select="f:resolve-copy($given-element)"/>
    <xsl:variable name="p" select="($e/tei:persName, $e)[1]"/>
    <xsl:element name="r:{$role}">
      <xsl:choose>
        <xsl:when test="$p/tei:surname">
          <xsl:attribute name="family" select="f:norm(string-join(($p/tei:nameLink, $p/tei:surname), ' '))"/>
          <xsl:attribute name="given" select="f:norm(string-join($p/tei:forename, ' '))"/>
        </xsl:when>
        <xsl:when test="$e/tei:orgName or $e/self::tei:orgName or not(matches(f:norm($e), '\s|,'))">
          <xsl:attribute name="literal" select="f:norm($e)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="parts" select="f:split-person(f:norm($e))"/>
          <xsl:attribute name="family" select="$parts[1]"/>
          <xsl:attribute name="given" select="$parts[2]"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:function>

  <!-- An empty element that copies another (@copyOf, @sameAs: "the same author as above"): the one it copies. -->
  <xsl:function name="f:resolve-copy" as="element()">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="id" select="($e/@copyOf, $e/@sameAs) ! f:pointer-ids(string(.))"/>
    <xsl:variable name="target" select="if (normalize-space($e) = '' and exists($id)) then id($id[1], root($e)) else ()"/>
    <xsl:sequence select="if ($target) then f:resolve-copy($target[1]) else $e"/>
  </xsl:function>

  <!-- "Family, Given" (or the literal name) -->
  <xsl:function name="f:inverted-name" as="xs:string">
    <xsl:param name="p" as="element()"/>
    <xsl:sequence select="if ($p/@literal) then string($p/@literal) else string-join(($p/@family, $p/@given[. != '']), ', ')"/>
  </xsl:function>

  <!-- "Given Family" (or the literal name) -->
  <xsl:function name="f:direct-name" as="xs:string">
    <xsl:param name="p" as="element()"/>
    <xsl:sequence select="if ($p/@literal) then string($p/@literal) else string-join(($p/@given[. != ''], $p/@family), ' ')"/>
  </xsl:function>

  <!-- The key an entry sorts under in an alphabetical bibliography: first author, else title; then year. -->
  <xsl:function name="f:record-sort-key" as="xs:string">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:variable name="who" select="($r/r:author, $r/r:editor)[1]"/>
    <xsl:sequence select="f:sort-key(string-join((if ($who) then f:inverted-name($who) else (), $r/r:title, $r/r:text)[1], ' ')) || ' ' || string($r/r:date/@year)"/>
  </xsl:function>

</xsl:stylesheet>
