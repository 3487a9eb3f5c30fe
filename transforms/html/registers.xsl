<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/registers.xsl: the register pages (persons, places, organisations).
  Entries in alphabetical order under letter headings, one anchor per entry
  (its xml:id), its names, dates and notes, and every mention in every text
  of the edition, each linked to its place with the words around it.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:key name="mention"
      match="tei:text//tei:persName | tei:text//tei:placeName | tei:text//tei:orgName | tei:text//tei:name | tei:text//tei:rs
             | tei:text//tei:geogName | tei:text//tei:settlement | tei:text//tei:country | tei:text//tei:region
             | tei:text//tei:bloc | tei:text//tei:district"
      use="f:name-ids(.)"/>
  <xsl:key name="mentions-all"
      match="tei:text//tei:persName | tei:text//tei:placeName | tei:text//tei:orgName | tei:text//tei:name | tei:text//tei:rs
             | tei:text//tei:geogName | tei:text//tei:settlement | tei:text//tei:country | tei:text//tei:region
             | tei:text//tei:bloc | tei:text//tei:district"
      use="'all'"/>

  <!-- Whether each document numbers its notes per chapter, worked out once. -->
  <xsl:variable name="f:per-chapter-by-doc" as="map(xs:string, xs:boolean)"
      select="map:merge($documents[not(f:is-stub(.))] ! map{f:slug(.): f:notes-per-chapter(.)})" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>

  <xsl:template name="persons"><xsl:call-template name="f:register-page"><xsl:with-param name="kind" select="'persons'"/></xsl:call-template></xsl:template>
  <xsl:template name="places"><xsl:call-template name="f:register-page"><xsl:with-param name="kind" select="'places'"/></xsl:call-template></xsl:template>
  <xsl:template name="organisations"><xsl:call-template name="f:register-page"><xsl:with-param name="kind" select="'organisations'"/></xsl:call-template></xsl:template>

  <xsl:template name="f:register-page">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:if test="$kind = $f:register-pages">
    <xsl:variable name="entries" as="element()*">
      <xsl:perform-sort select="$registers//*[@xml:id][f:register-kind(.) = $kind]">
        <xsl:sort select="f:entry-sort-key(.)" collation="{$f:collation}"/>
        <xsl:sort select="f:entry-label(.)" collation="{$f:collation}"/>
        <xsl:sort select="string(@xml:id)"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:variable name="title" select="$f:register-titles($kind)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="nav-current" select="$kind"/>
      <xsl:with-param name="body-class" select="'register register-' || $kind"/>
      <xsl:with-param name="meta" as="element()*">
        <meta name="description" content="{$title} named in the texts of {$site-title}, with every mention."/>
        <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
        <meta name="DC.title" content="{$title} — {$site-title}"/>
        <meta name="DC.type" content="Dataset"/>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:variable name="groups" as="element()*">
          <xsl:for-each-group select="$entries" group-adjacent="f:index-letter(f:entry-sort-key(.))">
            <group letter="{current-grouping-key()}" id="{f:letter-id(current-grouping-key())}"/>
          </xsl:for-each-group>
        </xsl:variable>
        <header class="register-header">
          <h1 id="~title"><xsl:value-of select="$title"/></h1>
          <p class="lede"><xsl:value-of select="count($entries)"/> entries. Each lists the forms of the name found in the texts and every passage that names it.</p>
          <nav class="letters" aria-label="Letters">
            <ul>
              <xsl:for-each select="$groups">
                <li><a href="#{@id}"><xsl:value-of select="@letter"/></a></li>
              </xsl:for-each>
            </ul>
          </nav>
        </header>
        <xsl:for-each-group select="$entries" group-adjacent="f:index-letter(f:entry-sort-key(.))">
          <section class="letter-group" id="{f:letter-id(current-grouping-key())}" aria-labelledby="{f:letter-id(current-grouping-key())}-h">
            <h2 id="{f:letter-id(current-grouping-key())}-h"><xsl:value-of select="current-grouping-key()"/></h2>
            <xsl:apply-templates select="current-group()" mode="html-register-entry"/>
          </section>
        </xsl:for-each-group>
      </xsl:with-param>
    </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:function name="f:letter-id" as="xs:string">
    <xsl:param name="letter" as="xs:string"/>
    <xsl:sequence select="'~letter-' || (if (matches($letter, '^[A-Za-z]$')) then $letter else 'u' || string-to-codepoints($letter)[1])"/>
  </xsl:function>

  <xsl:template match="*" mode="html-register-entry">
    <xsl:variable name="entry" select="."/>
    <xsl:variable name="id" select="string(@xml:id)"/>
    <xsl:variable name="main" select="f:entry-name-element(.)"/>
    <article class="entry" id="{$id}" aria-labelledby="{$id}~h">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <h3 id="{$id}~h"><xsl:value-of select="f:entry-label(.)"/>
        <xsl:variable name="dates" select="f:entry-dates(.)"/>
        <xsl:if test="$dates"><xsl:text> </xsl:text><span class="entry-dates">(<xsl:value-of select="$dates"/>)</span></xsl:if>
      </h3>
      <xsl:variable name="other-names" select="(tei:persName | tei:placeName | tei:orgName | tei:name | tei:addName | tei:geogName) except $main"/>
      <xsl:if test="@type"><p class="entry-type"><xsl:value-of select="replace(@type, '-', ' ')"/></p></xsl:if>
      <xsl:if test="$other-names">
        <p class="entry-names"><span class="label">Also: </span>
          <xsl:for-each select="$other-names">
            <xsl:if test="position() gt 1">; </xsl:if>
            <span class="variant"><xsl:value-of select="f:person-name(.)"/></span>
            <xsl:if test="@type and not(@type = 'variant')"><xsl:text> </xsl:text><span class="variant-type">(<xsl:value-of select="string-join((@type, @subtype), ', ')"/>)</span></xsl:if>
          </xsl:for-each>
        </p>
      </xsl:if>
      <xsl:for-each select="* except ($main, $other-names, tei:birth[not(normalize-space())], tei:death[not(normalize-space())])">
        <xsl:apply-templates select="." mode="html-entry-detail"/>
      </xsl:for-each>
      <xsl:call-template name="f:mentions">
        <xsl:with-param name="id" select="$id"/>
      </xsl:call-template>
    </article>
  </xsl:template>

  <!-- "1879–1940", "b. 1901", "d. 1932" from birth and death with @when and no text. -->
  <xsl:function name="f:entry-dates" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="b" select="($e/tei:birth[not(normalize-space())]/(@when, @notBefore, @from)[1])[1] ! string(.)"/>
    <xsl:variable name="d" select="($e/tei:death[not(normalize-space())]/(@when, @notBefore, @from)[1])[1] ! string(.)"/>
    <xsl:sequence select="if ($b and $d) then $b || '–' || $d else if ($b) then 'born ' || $b else if ($d) then 'died ' || $d else ()"/>
  </xsl:function>

  <xsl:template match="tei:note | tei:p | tei:desc" mode="html-entry-detail">
    <p class="entry-note"><xsl:apply-templates mode="html"/></p>
  </xsl:template>

  <xsl:template match="tei:idno" mode="html-entry-detail">
    <p class="entry-detail"><span class="label"><xsl:value-of select="(@type, 'Identifier')[1]"/>: </span>
      <xsl:choose>
        <xsl:when test="f:is-external(.)"><a href="{normalize-space(.)}"><xsl:value-of select="normalize-space(.)"/></a></xsl:when>
        <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>

  <xsl:template match="*" mode="html-entry-detail">
    <p class="entry-detail"><span class="label"><xsl:value-of select="f:label(.)"/>: </span>
      <xsl:choose>
        <xsl:when test="normalize-space(.)"><xsl:apply-templates mode="html"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="string-join(@* ! (local-name() || ' ' || .), ', ')"/></xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>

  <!--
    Every mention of an entry, by document, each with the words around it. With
    $mention-slots (tei.outputs, for a large edition) the page is a skeleton: a
    tei-slot element stands for the entry's mentions, and tei.outputs puts there
    the frame below around each document's f:mentions-in, made with that
    document's page.
  -->
  <xsl:template name="f:mentions">
    <xsl:param name="id" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="$mention-slots"><tei-slot key="{$id}"/></xsl:when>
      <xsl:otherwise><xsl:sequence select="f:mentions-frame($documents ! f:mentions-in(., $id))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The mentions of an entry around the lists of the documents that name it (or a note that none does). -->
  <xsl:function name="f:mentions-frame" as="element()">
    <xsl:param name="lists" as="element()*"/>
    <xsl:choose>
      <xsl:when test="exists($lists)">
        <div class="mentions-block">
          <p class="mentions-head">Mentioned in</p>
          <xsl:sequence select="$lists"/>
        </div>
      </xsl:when>
      <xsl:otherwise><p class="mentions-none">Not mentioned in the texts of this edition.</p></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The register entries a document names (ids of its rendered mentions): the lists html.xsl's "mentions" part makes. -->
  <xsl:function name="f:mentioned-ids" as="xs:string*">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:sequence select="distinct-values(key('mentions-all', 'all', $doc)[f:renders-id(.)] ! f:name-ids(.))"/>
  </xsl:function>

  <!-- The mentions of an entry in one document (nothing when it names the entry nowhere). -->
  <xsl:function name="f:mentions-in" as="element()?">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:call-template name="f:mentions-in">
      <xsl:with-param name="doc" select="$doc"/>
      <xsl:with-param name="id" select="$id"/>
    </xsl:call-template>
  </xsl:function>

  <!-- f:mentions-in as a template, and its parts: they write into the element that calls them (html.xsl's
       fragments), where a function's result, or a variable's, is a tree of its own, copied there (tens of
       thousands of mentions in a large text). -->
  <xsl:template name="f:mentions-in">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="ms" select="key('mention', $id, $doc)[f:renders-id(.)]"/>
    <xsl:if test="$ms">
      <div class="mentions-doc">
        <xsl:choose>
          <!-- long lists fold (a details element: no script needed) -->
          <xsl:when test="count($ms) gt 8">
            <details>
              <summary class="mentions-title"><xsl:call-template name="f:mentions-title"><xsl:with-param name="doc" select="$doc"/><xsl:with-param name="ms" select="$ms"/></xsl:call-template></summary>
              <xsl:call-template name="f:mentions-list"><xsl:with-param name="doc" select="$doc"/><xsl:with-param name="ms" select="$ms"/></xsl:call-template>
            </details>
          </xsl:when>
          <xsl:otherwise>
            <p class="mentions-title"><xsl:call-template name="f:mentions-title"><xsl:with-param name="doc" select="$doc"/><xsl:with-param name="ms" select="$ms"/></xsl:call-template></p>
            <xsl:call-template name="f:mentions-list"><xsl:with-param name="doc" select="$doc"/><xsl:with-param name="ms" select="$ms"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template name="f:mentions-title">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="ms" as="element()+"/>
    <cite><xsl:value-of select="f:title($doc)"/></cite>
    <xsl:value-of select="' — ' || count($ms) || (if (count($ms) = 1) then ' mention' else ' mentions')"/>
  </xsl:template>

  <xsl:template name="f:mentions-list">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="ms" as="element()+"/>
    <xsl:variable name="per-chapter" select="$f:per-chapter-by-doc(f:slug($doc))"/>
    <xsl:variable name="href" select="f:doc-href($doc)"/>
    <ol class="mentions">
      <xsl:for-each select="$ms">
        <xsl:variable name="context" select="f:mention-context(., $per-chapter)"/>
        <li><a href="{$href}#{f:anchor(.)}">
          <xsl:if test="$context[3]"><span class="mention-where"><xsl:value-of select="$context[3]"/></span><xsl:text> </xsl:text></xsl:if>
          <span class="kwic">
            <xsl:value-of select="$context[1]"/>
            <mark><xsl:value-of select="f:norm(.)"/></mark>
            <xsl:value-of select="$context[2]"/>
          </span>
        </a></li>
      </xsl:for-each>
    </ol>
  </xsl:template>

  <!-- The text of each heading of a division of the (full) documents, by the division's generate-id:
       worked out once, not once for each block that mentions a name (f:block-place works it out itself
       for a division it does not hold). -->
  <xsl:variable name="f:division-headings" as="map(xs:string, xs:string)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="map:merge($documents[not(f:is-stub(.))] ! (.//(tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7)[tei:head])
                        ! map{generate-id(.): f:head-text(tei:head[1])})"/>

  <!--
    Where the mentions quoted from a block are: the heading of its section, and "note N" when the
    block is a note or in one. The block decides for all of them: between a mention and its block
    (f:kwic-block) there are only phrase-level elements, since divisions are blocks and a note is a
    block of its own there.
  -->
  <xsl:function name="f:block-place" as="xs:string">
    <xsl:param name="block" as="element()"/>
    <xsl:param name="per-chapter" as="xs:boolean"/>
    <xsl:variable name="div" select="$block/ancestor-or-self::*[f:is-div(.)][tei:head][1]"/>
    <xsl:variable name="note" select="$block/ancestor-or-self::tei:note[f:is-callout-note(.)][1]"/>
    <xsl:variable name="parts" select="(
        $div ! ($f:division-headings(generate-id(.)), f:head-text(tei:head[1]))[1],
        $note ! ('note ' || f:note-label(., $per-chapter)))[. != '']"/>
    <xsl:variable name="place" select="string-join($parts, ', ')"/>
    <xsl:sequence select="if (empty($parts)) then '' else f:trim-end($place, ' &#9;&#10;&#13;:;,.') || ':'"/>
  </xsl:function>

  <!-- Is this one character XML whitespace? -->
  <xsl:function name="f:is-space" as="xs:boolean">
    <xsl:param name="c" as="xs:string"/>
    <xsl:sequence select="$c != '' and normalize-space($c) = ''"/>
  </xsl:function>

  <!-- The block a mention is quoted from in its key-word-in-context line. -->
  <xsl:function name="f:kwic-block" as="element()">
    <xsl:param name="m" as="element()"/>
    <xsl:sequence select="($m/ancestor::*[f:is-block(.) or self::tei:note or self::tei:figDesc][1], $m/..)[1]"/>
  </xsl:function>

  <!-- A block's words, without the notes that become calls inside it. -->
  <xsl:function name="f:kwic-texts" as="text()*">
    <xsl:param name="block" as="element()"/>
    <xsl:sequence select="$block//text() except $block//tei:note[f:is-callout-note(.)]//text()"/>
  </xsl:function>

  <!--
    Every mention's context, worked out block by block (one pass over each
    block's text, however many mentions it holds): generate-id of the mention
    → the words shown before and after it (f:kwic-parts) and where it is
    (f:block-place, '' for nowhere in particular), so a large corpus keeps
    three short strings per mention, not the text around it.
  -->
  <xsl:variable name="f:mention-contexts" as="map(xs:string, xs:string+)" xmlns:map="http://www.w3.org/2005/xpath-functions/map">
    <xsl:map>
      <xsl:for-each select="$documents[not(f:is-stub(.))]">
        <xsl:variable name="per-chapter" select="$f:per-chapter-by-doc(f:slug(.))"/>
        <xsl:for-each-group select="key('mentions-all', 'all', .)" group-by="generate-id(f:kwic-block(.))">
          <xsl:variable name="block" select="f:kwic-block(.)"/>
          <xsl:variable name="place" select="f:block-place($block, $per-chapter)"/>
          <xsl:variable name="texts" select="f:kwic-texts($block)"/>
          <xsl:variable name="all" select="string-join($texts)"/>
          <xsl:variable name="starts" as="map(xs:string, xs:integer)">
            <xsl:map>
              <xsl:iterate select="$texts">
                <xsl:param name="at" as="xs:integer" select="0"/>
                <xsl:map-entry key="generate-id(.)" select="$at"/>
                <xsl:next-iteration><xsl:with-param name="at" select="$at + string-length(.)"/></xsl:next-iteration>
              </xsl:iterate>
            </xsl:map>
          </xsl:variable>
          <xsl:for-each select="current-group()">
            <xsl:variable name="own" select=".//text()"/>
            <xsl:if test="exists($own) and map:contains($starts, generate-id($own[1])) and map:contains($starts, generate-id($own[last()]))">
              <xsl:variable name="start" select="$starts(generate-id($own[1]))"/>
              <xsl:variable name="end" select="$starts(generate-id($own[last()])) + string-length($own[last()])"/>
              <xsl:map-entry key="generate-id(.)" select="f:kwic-parts(substring(substring($all, 1, $start), $start - 299),
                                                          substring($all, $end + 1, 300), $start gt 300, string-length($all) - $end gt 300),
                                                          $place"/>
            </xsl:if>
          </xsl:for-each>
        </xsl:for-each-group>
      </xsl:for-each>
    </xsl:map>
  </xsl:variable>

  <!--
    A mention's key word in context (up to eight words either side of it,
    within its block; only the 300 characters nearest it are read on either
    side, a word cut there dropped, so a long paragraph costs no more than a
    short one) and its place: (before, after, place or '').
  -->
  <xsl:function name="f:mention-context" as="xs:string+">
    <xsl:param name="m" as="element()"/>
    <xsl:param name="per-chapter" as="xs:boolean"/>
    <xsl:variable name="known" select="$f:mention-contexts(generate-id($m))"/>
    <xsl:choose>
      <xsl:when test="exists($known)"><xsl:sequence select="$known"/></xsl:when>
      <xsl:otherwise>
        <!-- a mention without words of its own: read its block here -->
        <xsl:variable name="block" select="f:kwic-block($m)"/>
        <xsl:variable name="texts" select="f:kwic-texts($block)"/>
        <xsl:variable name="before-all" select="string-join($texts[. &lt;&lt; $m], '')"/>
        <xsl:variable name="after-all" select="string-join($texts[. >> $m] except $m//text(), '')"/>
        <xsl:sequence select="f:kwic-parts(substring($before-all, string-length($before-all) - 299), substring($after-all, 1, 300),
                                           string-length($before-all) gt 300, string-length($after-all) gt 300),
                              f:block-place($block, $per-chapter)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!--
    The words shown either side of a mention, from the text around it (at most 300 characters each
    side; the flags say whether more text lies beyond): ("…eight words before ", " eight words after…").
    Only these short strings are kept per mention. (No regular expressions: this runs for every mention,
    and Saxon's regex engine is slow.)
  -->
  <xsl:function name="f:kwic-parts" as="xs:string+">
    <xsl:param name="before" as="xs:string"/>
    <xsl:param name="after" as="xs:string"/>
    <xsl:param name="before-cut" as="xs:boolean"/>
    <xsl:param name="after-cut" as="xs:boolean"/>
    <!-- Most mentions have nine whole words within 100 characters on either side: then those decide
         (the word cut at the window's edge is dropped; more than eight words means "…" either way),
         and only the others read the 300 characters. -->
    <xsl:variable name="near-bw" select="tail(tokenize(substring($before, string-length($before) - 99)))"/>
    <xsl:variable name="bw" select="if (count($near-bw) gt 8) then $near-bw
        else tokenize($before)[not($before-cut and position() = 1 and not(f:is-space(substring($before, 1, 1))))]"/>
    <xsl:variable name="near-aw" select="let $t := tokenize(substring($after, 1, 100)) return $t[position() lt last()]"/>
    <xsl:variable name="aw" select="if (count($near-aw) gt 8) then $near-aw
        else let $t := tokenize($after) return
             if ($after-cut and not(f:is-space(substring($after, 300)))) then $t[position() lt last()] else $t"/>
    <xsl:sequence select="
        (if ($before-cut or count($bw) gt 8) then '…' else '')
          || string-join(subsequence($bw, count($bw) - 7), ' ')
          || (if (f:is-space(substring($before, string-length($before)))) then ' ' else ''),
        (if (f:is-space(substring($after, 1, 1))) then ' ' else '')
          || string-join(subsequence($aw, 1, 8), ' ')
          || (if ($after-cut or count($aw) gt 8) then '…' else '')"/>
  </xsl:function>

</xsl:stylesheet>
