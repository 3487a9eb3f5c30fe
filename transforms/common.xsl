<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl: what every output (HTML, plain text, bibliographies) shares.

  * text normalisation (f:norm, f:ascii-fold, f:sort-key)
  * the block/inline classification of TEI elements, so that every output
    knows whether an element starts a new block or runs on in a line
  * stable anchors for every element (f:anchor): the xml:id when there is one,
    otherwise a path from the nearest ancestor with an xml:id; the same function
    is used by the page that shows the element and by pages that link to it
  * note numbering and note sections (per document, or per chapter when the
    note numbers restart)
  * pointer resolution (@ref, @target, @corresp → ids), register entries
  * metadata helpers that read the teiHeader (title, authors, date, ...)

  Works on any TEI P5 document: nothing here assumes the project's converters.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- Whitespace between elements of element-only TEI containers is layout, not text. -->
  <xsl:strip-space elements="tei:TEI tei:teiCorpus tei:teiHeader tei:fileDesc tei:titleStmt tei:publicationStmt
      tei:sourceDesc tei:encodingDesc tei:profileDesc tei:revisionDesc tei:text tei:front tei:body tei:back
      tei:group tei:div tei:div1 tei:div2 tei:div3 tei:div4 tei:div5 tei:div6 tei:div7 tei:list tei:listBibl
      tei:listPerson tei:listPlace tei:listOrg tei:person tei:place tei:org tei:table tei:row tei:lg tei:sp
      tei:spGroup tei:figure tei:titlePage tei:docTitle tei:biblStruct tei:analytic tei:monogr tei:imprint
      tei:choice tei:app tei:cit tei:floatingText tei:standOff tei:castList tei:subst"/>

  <xsl:variable name="f:tei-ns" select="'http://www.tei-c.org/ns/1.0'"/>
  <xsl:variable name="f:collation"
      select="'http://www.w3.org/2013/collation/UCA?lang=en;strength=secondary'"/>

  <!-- ================================================================== -->
  <!-- Text                                                               -->
  <!-- ================================================================== -->

  <!-- XML whitespace collapsed to single spaces (no-break spaces are characters of the text and stay). -->
  <xsl:function name="f:norm" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="normalize-space($s)"/>
  </xsl:function>

  <!-- An element's name as a CSS class ("persName" → "pers-name"). -->
  <xsl:function name="f:class-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="name" select="local-name($e)"/>
    <xsl:sequence select="($f:class-names($name), f:css-name($name))[1]"/>
  </xsl:function>
  <xsl:function name="f:css-name" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="lower-case(replace($name, '([a-z])([A-Z])', '$1-$2'))"/>
  </xsl:function>
  <!-- Worked out once for the names every text is full of (f:class-name runs for every name and phrase
       element, and Saxon's regular expressions are slow). -->
  <xsl:variable name="f:class-names" as="map(xs:string, xs:string)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="map:merge(($f:name-elements, 'foreign', 'mentioned', 'term', 'gloss', 'distinct') ! map{.: f:css-name(.)},
                        map{'duplicates': 'use-first'})"/>

  <!-- Letters without diacritics, for sort keys, letters of the index and BibTeX keys. -->
  <xsl:function name="f:ascii-fold" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="replace(normalize-unicode(string($s), 'NFKD'), '\p{M}', '', $f:fast-regex)"/>
  </xsl:function>

  <!-- $s without the characters of $chars at its end: string tests, no regular expression (this runs
       for every title of a bibliography and every mention's place; Saxon's regular expressions are slow,
       and on Java's engine "$" also stops before a final U+0085, U+2028 or U+2029). -->
  <xsl:function name="f:trim-end" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="chars" as="xs:string"/>
    <xsl:variable name="last" select="substring($s, string-length($s))"/>
    <xsl:sequence select="if ($last != '' and contains($chars, $last)) then f:trim-end(substring($s, 1, string-length($s) - 1), $chars) else $s"/>
  </xsl:function>

  <!-- A key that sorts names and titles as an index does: no leading article or punctuation. -->
  <xsl:function name="f:sort-key" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="lower-case(replace(f:ascii-fold(f:norm($s)), '^([\p{P}\p{S}\s]+|(the|a|an)\s+)+', '', 'i' || $f:fast-regex))"/>
  </xsl:function>

  <!-- The letter an entry is filed under in an alphabetical index. -->
  <xsl:function name="f:index-letter" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="c" select="upper-case(substring(replace($key, '^[^\p{L}\p{N}]+', ''), 1, 1))"/>
    <xsl:sequence select="if ($c = '') then '#' else if (matches($c, '\p{N}')) then '0–9' else $c"/>
  </xsl:function>

  <!-- Ends a sentence-like string with a stop unless it already ends in punctuation. -->
  <xsl:function name="f:with-stop" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (matches($s, '[.?!…]([”’&quot;»)\]]*)$')) then $s else $s || '.'"/>
  </xsl:function>

  <!-- ================================================================== -->
  <!-- Blocks and phrases                                                 -->
  <!-- ================================================================== -->

  <!-- Elements that always stand on their own (never inside a line of text). -->
  <xsl:variable name="f:block-names" as="xs:string+" select="(
      'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'p', 'ab', 'head', 'lg', 'l', 'list', 'item',
      'table', 'row', 'cell', 'figure', 'floatingText', 'text', 'group', 'front', 'body', 'back', 'titlePage',
      'docTitle', 'titlePart', 'docAuthor', 'docImprint', 'docDate', 'docEdition', 'byline', 'dateline',
      'argument', 'epigraph', 'opener', 'closer', 'postscript', 'trailer', 'sp', 'spGroup', 'speaker',
      'listBibl', 'biblStruct', 'biblFull', 'listPerson', 'listPlace', 'listOrg', 'listEvent', 'person', 'place',
      'org', 'castList', 'castItem', 'eg', 'egXML', 'salute', 'signed', 'fw', 'label', 'graphic', 'stage',
      'listWit', 'witness', 'msDesc', 'listApp', 'timeline', 'u', 'table', 'quote', 'cit', 'said', 'note', 'bibl',
      'media', 'formula', 'address', 'q')"/>

  <!-- Elements that may be either; the context decides (see f:is-block). -->
  <xsl:variable name="f:contextual-names" as="xs:string+"
      select="('quote', 'cit', 'said', 'q', 'note', 'bibl', 'label', 'signed', 'salute', 'stage', 'fw',
               'graphic', 'media', 'formula', 'address', 'figure', 'docAuthor', 'docImprint', 'docDate', 'docEdition',
               'byline', 'dateline', 'titlePart')"/>

  <!-- Containers whose children are laid out as blocks (a phrase directly inside one is a block too). -->
  <xsl:variable name="f:container-names" as="xs:string+" select="(
      'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'body', 'front', 'back', 'text', 'group',
      'floatingText', 'lg', 'sp', 'spGroup', 'listBibl', 'titlePage', 'docTitle', 'opener', 'closer', 'argument',
      'epigraph', 'postscript', 'castList', 'figure', 'TEI')"/>

  <!-- The lists above as one lookup (f:is-block runs for most elements of a text, several times):
       'contextual' wins over 'block' for the names in both. -->
  <xsl:variable name="f:layout-kinds" as="map(xs:string, xs:string)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="map:merge(($f:block-names ! map{.: 'block'}, $f:contextual-names ! map{.: 'contextual'}), map{'duplicates': 'use-last'})"/>
  <xsl:variable name="f:block-parents" as="map(xs:string, xs:boolean)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="map:merge(($f:container-names, 'list', 'listBibl') ! map{.: true()}, map{'duplicates': 'use-first'})"/>
  <!-- Children that make their parent hold blocks (f:contains-block). -->
  <xsl:variable name="f:block-children" as="map(xs:string, xs:boolean)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="map:merge(('p', 'ab', 'div', 'lg', 'l', 'list', 'table', 'figure',
                  'floatingText', 'sp', 'listBibl', 'biblStruct', 'head', 'item', 'row', 'cell', 'eg', 'egXML',
                  'titlePage', 'opener', 'closer', 'epigraph', 'castList', 'speaker', 'listPerson', 'listPlace',
                  'listOrg', 'text', 'body', 'front', 'back', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7') ! map{.: true()})"/>

  <!-- Does this element lay out as a block in the output? -->
  <xsl:function name="f:is-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="name" select="local-name($e)"/>
    <xsl:variable name="kind" select="$f:layout-kinds($name)"/>
    <xsl:choose>
      <xsl:when test="namespace-uri($e) ne $f:tei-ns">
        <xsl:sequence select="f:contains-block($e)"/>
      </xsl:when>
      <xsl:when test="$name = 'note'">
        <!-- a note in the running text becomes a call; notes collected in a notes division are blocks -->
        <xsl:sequence select="f:note-in-place($e) and not(f:note-is-inline($e))"/>
      </xsl:when>
      <xsl:when test="$name = 'figure'">
        <xsl:sequence select="true()"/>
      </xsl:when>
      <xsl:when test="$kind = 'contextual'">
        <!-- a block when it holds blocks, stands directly in a block container, or in a cit that is a block -->
        <xsl:sequence select="f:contains-block($e)
            or (exists($e/..) and $f:block-parents(local-name($e/..)) and not($name = 'label' and local-name($e/..) = 'list'))
            or ($e/parent::tei:cit and f:is-block($e/..))"/>
      </xsl:when>
      <xsl:when test="$kind = 'block'">
        <xsl:sequence select="true()"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="f:contains-block($e)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Does an element have a block among its children (looking through phrase-level wrappers)? -->
  <xsl:function name="f:contains-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="some $c in $e/* satisfies (
        if (local-name($c) = 'note' and namespace-uri($c) eq $f:tei-ns) then false()
        else if (namespace-uri($c) eq $f:tei-ns and exists($f:block-children(local-name($c)))) then true()
        else f:contains-block($c))"/>
  </xsl:function>

  <!-- ================================================================== -->
  <!-- Anchors                                                            -->
  <!-- ================================================================== -->

  <!--
    A stable fragment identifier for any element: its xml:id, or the xml:id of the
    nearest ancestor that has one followed by "~name.position" steps. "~" cannot
    occur in an xml:id, so these never collide with the document's own ids.
  -->
  <xsl:function name="f:anchor" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:choose>
      <xsl:when test="$e/@xml:id">
        <xsl:sequence select="string($e/@xml:id)"/>
      </xsl:when>
      <!-- an element of a document's stub (html/stub.xsl) carries the anchor it has in its document -->
      <xsl:when test="$e/@f:anchor">
        <xsl:sequence select="string($e/@f:anchor)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="step" select="local-name($e) || (count($e/preceding-sibling::*[node-name() eq node-name($e)]) + 1)"/>
        <xsl:sequence select="if ($e/parent::*) then f:anchor($e/parent::*) || '~' || $step else '~' || $step"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!--
    The ids a pointer attribute names: "#x", "file.xml#x", "prefix:x" (private URI) or a bare key.
    (String tests rather than regular expressions: this runs for every name of every text.)
  -->
  <xsl:function name="f:pointer-ids" as="xs:string*">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:for-each select="tokenize($value)">
      <xsl:variable name="prefix" select="substring-before(., ':')"/>
      <xsl:choose>
        <xsl:when test="contains(., '#')"><xsl:sequence select="substring-after(., '#')[. != '']"/></xsl:when>
        <xsl:when test="$prefix != '' and f:is-scheme($prefix) and not(lower-case($prefix) = ('http', 'https', 'ftp', 'mailto', 'urn', 'file', 'doi'))">
          <xsl:sequence select="substring-after(., ':')[. != '']"/>
        </xsl:when>
        <xsl:when test=". castable as xs:NCName"><xsl:sequence select="."/></xsl:when>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

  <!-- A URI scheme name: a letter, then letters, digits, "+", "." or "-". -->
  <xsl:function name="f:is-scheme" as="xs:boolean">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="letters" select="'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
    <xsl:sequence select="contains($letters, substring($s, 1, 1)) and translate($s, $letters || '0123456789+.-', '') = ''"/>
  </xsl:function>

  <!-- The ids an element points to as a name of something (@ref, @key, @corresp, @sameAs). -->
  <xsl:function name="f:name-ids" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="distinct-values((f:pointer-ids($e/@ref), $e/@key ! f:pointer-ids(string(.)), f:pointer-ids($e/@corresp), f:pointer-ids($e/@sameAs)))"/>
  </xsl:function>

  <!-- Is this a URL to somewhere outside the edition? -->
  <xsl:function name="f:is-external" as="xs:boolean">
    <xsl:param name="target" as="xs:string?"/>
    <xsl:variable name="t" select="lower-case(normalize-space($target))"/>
    <xsl:sequence select="starts-with($t, 'http:') or starts-with($t, 'https:') or starts-with($t, 'ftp:') or starts-with($t, 'mailto:')"/>
  </xsl:function>

  <!-- Elements that name an entry of a register. -->
  <xsl:variable name="f:name-elements" as="xs:string+" select="('persName', 'placeName', 'orgName', 'name', 'rs', 'geogName', 'settlement', 'country', 'region', 'bloc', 'district')"/>
  <!-- Elements that may render as a link (see f:makes-link): names, references and bibliographic references. -->
  <xsl:variable name="f:link-names" as="map(xs:string, xs:boolean)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="map:merge(($f:name-elements, 'ref', 'ptr', 'bibl') ! map{.: true()})"/>

  <!-- ================================================================== -->
  <!-- Notes                                                              -->
  <!-- ================================================================== -->

  <!-- A note that stays where it is: collected in a notes division, or attached by @target elsewhere. -->
  <xsl:function name="f:note-in-place" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="exists($n/@target) or exists($n/ancestor::tei:noteGrp)
        or exists($n/ancestor::*[self::tei:div or self::tei:div1 or self::tei:div2 or self::tei:div3 or self::tei:listBibl]
                   [tokenize(lower-case(@type)) = ('notes', 'endnotes', 'footnotes')])"/>
  </xsl:function>

  <!-- A note the source prints in the line (place="inline", or a note without @place in a bibliographic entry): shown where it stands. -->
  <xsl:function name="f:note-is-inline" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="tokenize(lower-case($n/@place)) = ('inline', 'inspace')
        or (empty($n/@place) and exists($n/ancestor::*[self::tei:bibl or self::tei:biblStruct or self::tei:biblFull]))"/>
  </xsl:function>

  <!-- The notes that become footnotes/endnotes with a call at the place they stand. -->
  <xsl:function name="f:is-callout-note" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="exists($n/ancestor::tei:text) and not(f:note-in-place($n)) and not(f:note-is-inline($n))"/>
  </xsl:function>

  <!--
    Do note numbers restart (the same @n twice in one text)? Then notes are
    collected per chapter (outermost division) rather than per document.
  -->
  <xsl:function name="f:notes-per-chapter" as="xs:boolean">
    <xsl:param name="root" as="node()"/>
    <xsl:variable name="ns" select="$root//tei:text//tei:note[@n][f:is-callout-note(.)]/string(@n)"/>
    <xsl:sequence select="count($ns) ne count(distinct-values($ns))"/>
  </xsl:function>

  <!-- The element that collects a note: the outermost division when numbers restart, else the outermost text. -->
  <xsl:function name="f:note-section" as="element()">
    <xsl:param name="n" as="element()"/>
    <xsl:param name="per-chapter" as="xs:boolean"/>
    <xsl:variable name="outer-text" select="$n/ancestor::tei:text[last()]"/>
    <xsl:variable name="chapter" select="($n/ancestor::*[f:is-div(.)][not(ancestor::*[f:is-div(.)])])[1]"/>
    <xsl:sequence select="if ($per-chapter and exists($chapter)) then $chapter else ($outer-text, $n/root()/*)[1]"/>
  </xsl:function>

  <xsl:function name="f:is-div" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="starts-with(local-name($e), 'div') and local-name($e) = ('div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7')
                          and namespace-uri($e) eq $f:tei-ns"/>
  </xsl:function>

  <!-- The notes a section collects, in document order. -->
  <xsl:function name="f:section-notes" as="element()*">
    <xsl:param name="section" as="element()"/>
    <xsl:param name="per-chapter" as="xs:boolean"/>
    <xsl:sequence select="$section//tei:note[f:is-callout-note(.)][f:note-section(., $per-chapter) is $section]"/>
  </xsl:function>

  <!-- A note's label: its @n when given, else its place among its section's notes. -->
  <xsl:function name="f:note-label" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:param name="per-chapter" as="xs:boolean"/>
    <xsl:choose>
      <xsl:when test="normalize-space($n/@n)"><xsl:sequence select="normalize-space($n/@n)"/></xsl:when>
      <xsl:when test="$n/@target">
        <!-- notes attached by @target are lettered, so their labels never repeat the numbered notes' -->
        <xsl:sequence select="format-integer(count($n/preceding::tei:note[@target][not(normalize-space(@n))]) + 1, 'a')"/>
      </xsl:when>
      <xsl:when test="f:is-callout-note($n)">
        <xsl:variable name="section" select="f:note-section($n, $per-chapter)"/>
        <xsl:sequence select="string(count($section//tei:note[. &lt;&lt; $n][f:is-callout-note(.)][f:note-section(., $per-chapter) is $section]) + 1)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="string(count($n/preceding-sibling::tei:note) + 1)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- ================================================================== -->
  <!-- Documents and their headers                                        -->
  <!-- ================================================================== -->

  <xsl:function name="f:header" as="element()?">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="(root($doc)/*/tei:teiHeader)[1]"/>
  </xsl:function>

  <!-- A document's short name: idno[@type='slug'], else its file name without extension. -->
  <xsl:function name="f:slug" as="xs:string" visibility="public">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="idno" select="normalize-space((f:header($doc)/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'slug'])[1])"/>
    <xsl:variable name="file" select="replace(tokenize(string(base-uri(root($doc)/*)), '/')[last()], '\.[^.]*$', '')"/>
    <xsl:sequence select="if ($idno) then $idno else if ($file) then $file else 'document'"/>
  </xsl:function>

  <xsl:function name="f:title" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="ts" select="f:header($doc)/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="main" select="($ts[@type = 'main'], $ts[not(@type) or @type = 'full'], $ts)[1]"/>
    <xsl:variable name="t" select="f:norm($main)"/>
    <xsl:sequence select="if ($t) then $t else f:slug($doc)"/>
  </xsl:function>

  <xsl:function name="f:subtitle" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="(f:header($doc)/tei:fileDesc/tei:titleStmt/tei:title[@type = 'sub'])[1] ! f:norm(.)"/>
  </xsl:function>

  <!-- Authors of the text: titleStmt/author, else the authors of the source description. -->
  <xsl:function name="f:authors" as="xs:string*">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="h" select="f:header($doc)"/>
    <xsl:variable name="stmt" select="$h/tei:fileDesc/tei:titleStmt/tei:author"/>
    <xsl:variable name="src" select="($h/tei:fileDesc/tei:sourceDesc/(tei:bibl | tei:biblStruct/(tei:analytic, tei:monogr)[1] | tei:biblFull/tei:titleStmt))[1]/tei:author"/>
    <xsl:sequence select="(if ($stmt) then $stmt else $src) ! f:person-name(.)[. != '']"/>
  </xsl:function>

  <!-- A name as one reads it: forenames before surname when they are marked up. -->
  <xsl:function name="f:person-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="p" select="($e/tei:persName, $e)[1]"/>
    <xsl:sequence select="if ($p/tei:surname) then f:norm(string-join(($p/tei:forename, $p/tei:nameLink, $p/tei:surname, $p/tei:genName), ' '))
                          else f:norm($p)"/>
  </xsl:function>

  <!-- The date of the text as printed in the source description (or the header), as written. -->
  <xsl:function name="f:date" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="h" select="f:header($doc)"/>
    <xsl:variable name="d" select="($h/tei:fileDesc/tei:sourceDesc//tei:date, $h/tei:profileDesc/tei:creation//tei:date)[1]"/>
    <xsl:sequence select="if ($d) then (f:norm($d)[. != ''], $d/(@when, @from, @notBefore)[1] ! string(.))[1] else ()"/>
  </xsl:function>

  <!-- A machine-readable date (YYYY[-MM[-DD]]) when the header gives one, for Dublin Core. -->
  <xsl:function name="f:iso-date" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="h" select="f:header($doc)"/>
    <xsl:sequence select="(($h/tei:fileDesc/tei:sourceDesc//tei:date, $h/tei:profileDesc/tei:creation//tei:date)/(@when, @from, @notBefore)
                           [matches(., '^-?\d{4}(-\d\d){0,2}$')])[1] ! string(.)"/>
  </xsl:function>

  <xsl:function name="f:language" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="r" select="root($doc)/*"/>
    <xsl:sequence select="($r/@xml:lang, $r/tei:text/@xml:lang, f:header($doc)/tei:profileDesc/tei:langUsage/tei:language/@ident, 'und')[normalize-space()][1] ! string(.)"/>
  </xsl:function>

  <xsl:function name="f:publisher" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="h" select="f:header($doc)"/>
    <xsl:sequence select="($h/tei:fileDesc/tei:sourceDesc//tei:publisher, $h/tei:fileDesc/tei:publicationStmt/tei:publisher)[1] ! f:norm(.)"/>
  </xsl:function>

  <xsl:function name="f:rights" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="a" select="(f:header($doc)/tei:fileDesc/tei:publicationStmt/tei:availability)[1]"/>
    <xsl:sequence select="if ($a) then f:norm(string-join($a/(tei:licence, tei:p, text()), ' '))[. != ''] else ()"/>
  </xsl:function>

  <!-- A one-line description of the kind of text, from the source description. -->
  <xsl:function name="f:description" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="h" select="f:header($doc)"/>
    <xsl:sequence select="($h/tei:profileDesc/tei:textClass//(tei:term, tei:keywords/tei:term), $h/tei:profileDesc/tei:abstract)[1] ! f:norm(.)"/>
  </xsl:function>

  <!-- Words in a document's text (for the index page: a rough size, as printed words). -->
  <xsl:function name="f:word-count" as="xs:integer">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="count(tokenize(string-join(root($doc)/*/tei:text//text(), ' '), '[^\p{L}\p{N}]+', $f:fast-regex)[. != ''])"/>
  </xsl:function>

  <!--
    Regex flags for long strings and hot paths: in Saxon, ";j" runs a regex
    with Java's engine, ten times faster than Saxon's own on the thesis's
    1.2 MB of text (0.6 s against 0.06 s; the same words for these patterns).
    Other processors get no flags. Only for patterns that mean the same in
    both: no ".", "$" or "\d" (Java's "." and "$" also take U+0085, U+2028 and
    U+2029 for line ends, its "\d" is ASCII digits only); "\s", "\p{…}",
    "^" and classes are the same on XML text.
  -->
  <xsl:variable name="f:fast-regex" as="xs:string" select="if (system-property('xsl:product-name') = 'SAXON') then ';j' else ''"/>

  <!-- ================================================================== -->
  <!-- Registers                                                          -->
  <!-- ================================================================== -->

  <!-- Register entries are persons, places and organisations with an xml:id (TEI listPerson etc.). -->
  <xsl:function name="f:register-kind" as="xs:string?">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="if ($entry/self::tei:person or $entry/self::tei:personGrp) then 'persons'
                          else if ($entry/self::tei:place) then 'places'
                          else if ($entry/self::tei:org) then 'organisations' else ()"/>
  </xsl:function>

  <!-- The name an entry is listed under: its preferred/main/first name of its own kind. -->
  <xsl:function name="f:entry-name-element" as="element()?">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="names" select="$entry/(tei:persName | tei:placeName | tei:orgName | tei:name | tei:geogName | tei:settlement | tei:country)"/>
    <xsl:sequence select="($names[@type = ('preferred', 'main', 'reg', 'standard', 'full')], $names[not(@type)], $names)[1]"/>
  </xsl:function>

  <xsl:function name="f:entry-label" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="n" select="f:entry-name-element($entry)"/>
    <xsl:variable name="s" select="if ($n) then f:person-name($n) else f:norm($entry/tei:label)"/>
    <xsl:sequence select="if ($s) then $s else string($entry/@xml:id)"/>
  </xsl:function>

  <!--
    What an entry is filed under: @sortKey, a marked-up surname, or for persons the
    last word of the name (with lower-case particles such as "de", "von" kept with it).
  -->
  <xsl:function name="f:entry-sort-key" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="n" select="f:entry-name-element($entry)"/>
    <xsl:variable name="label" select="f:entry-label($entry)"/>
    <xsl:choose>
      <xsl:when test="normalize-space(($entry/@sortKey, $n/@sortKey)[1])">
        <xsl:sequence select="f:sort-key(($entry/@sortKey, $n/@sortKey)[1])"/>
      </xsl:when>
      <xsl:when test="$n/tei:surname">
        <xsl:sequence select="f:sort-key(string-join(($n/tei:surname, $n/tei:forename), ' '))"/>
      </xsl:when>
      <xsl:when test="f:register-kind($entry) = 'persons' and not($entry/self::tei:personGrp)">
        <xsl:variable name="parts" select="f:split-person($label)"/>
        <xsl:sequence select="f:sort-key(string-join(($parts[1], $parts[2]), ' '))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="f:sort-key($label)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!--
    ("Family", "Given") of a personal name written as text: "Family, Given" as is;
    "Given [particles] Family" with lower-case particles kept with the family name
    (BibTeX's own reading of "First von Last"). A single word is a family name.
  -->
  <xsl:function name="f:split-person" as="xs:string+">
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="s" select="f:norm($name)"/>
    <xsl:choose>
      <xsl:when test="contains($s, ',')">
        <xsl:sequence select="(f:norm(substring-before($s, ',')), f:norm(substring-after($s, ',')))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="w" select="tokenize($s, ' ')"/>
        <xsl:variable name="last" select="count($w)"/>
        <!-- first lower-case word after the first word starts the family name -->
        <xsl:variable name="von" select="(for $i in 2 to $last - 1 return $i[matches($w[$i], '^\p{Ll}')])[1]"/>
        <xsl:variable name="start" select="if (exists($von)) then $von else $last"/>
        <xsl:sequence select="(string-join($w[position() ge $start], ' '), string-join($w[position() lt $start], ' '))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- ================================================================== -->
  <!-- Bibliographic entries                                              -->
  <!-- ================================================================== -->

  <!-- The entries of a document's bibliography: its listBibl entries, else every outermost bibl in the text. -->
  <xsl:function name="f:bib-entries" as="element()*" visibility="public">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="text" select="root($doc)/*/tei:text"/>
    <xsl:variable name="listed" select="$text//tei:listBibl/(tei:bibl | tei:biblStruct | tei:biblFull)"/>
    <xsl:sequence select="if ($listed) then $listed
        else $text//(tei:bibl | tei:biblStruct | tei:biblFull)[not(ancestor::tei:bibl | ancestor::tei:biblStruct | ancestor::tei:biblFull)]"/>
  </xsl:function>

  <!-- The entries of a register file (a consolidated bibliography): every listBibl entry with an id. -->
  <xsl:function name="f:register-bib-entries" as="element()*" visibility="public">
    <xsl:param name="registers" as="document-node()*"/>
    <xsl:sequence select="$registers//tei:listBibl/(tei:bibl | tei:biblStruct | tei:biblFull)[@xml:id]"/>
  </xsl:function>

</xsl:stylesheet>
