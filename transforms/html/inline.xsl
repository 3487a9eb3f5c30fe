<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/inline.xsl: phrase-level TEI in mode "html": highlighting, quotations,
  titles, foreign words, editorial interventions (choice, sic/corr, abbr/expan,
  orig/reg, add/del, supplied, gap, unclear), apparatus, page and line breaks,
  milestones. Every word of the TEI stays visible: where the TEI offers
  alternatives (sic and corr), the edition shows the reading text and the
  alternative beside it in brackets.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- ======================= highlighting ======================= -->

  <xsl:variable name="f:rend-elements" as="map(xs:string, xs:string)" select="map{
      'italic': 'i', 'italics': 'i', 'i': 'i', 'it': 'i',
      'bold': 'b', 'b': 'b', 'strong': 'b',
      'sup': 'sup', 'superscript': 'sup', 'super': 'sup',
      'sub': 'sub', 'subscript': 'sub',
      'underline': 'u', 'u': 'u', 'ul': 'u',
      'strikethrough': 's', 'strike': 's', 'overstrike': 's', 'line-through': 's'}"/>

  <xsl:template match="tei:hi" mode="html">
    <xsl:variable name="tokens" select="tokenize(lower-case(normalize-space(@rend)))"/>
    <xsl:variable name="el" select="($tokens[map:contains($f:rend-elements, .)] ! $f:rend-elements(.), 'span')[1]"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:element name="{$el}">
      <xsl:call-template name="f:attrs">
        <xsl:with-param name="class" select="string-join(('hi', $tokens[. != ''] ! ('rend-' || replace(., '[^\w-]+', '-'))), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:emph" mode="html">
    <em><xsl:call-template name="f:attrs"/><xsl:apply-templates mode="html"/></em>
  </xsl:template>

  <xsl:template match="tei:foreign | tei:mentioned | tei:term | tei:gloss | tei:distinct" mode="html">
    <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="f:class-name(.)"/></xsl:call-template><xsl:apply-templates mode="html"/></span>
  </xsl:template>

  <!-- Titles of books, journals and series in italics; of articles and unpublished work in roman. -->
  <xsl:template match="tei:title" mode="html">
    <xsl:element name="{if (@level = ('a', 'u')) then 'span' else 'cite'}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'title' || (@level ! (' title-' || .))"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <!-- ======================= quotations ======================= -->

  <!--
    Quotation marks: when the header says they were kept in the text
    (quotation/@marks = 'all' or 'some') or the quotation begins with one, the
    edition adds none; otherwise the browser supplies them (q element).
  -->
  <xsl:function name="f:marks-kept" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists(root($e)/*/tei:teiHeader//tei:quotation[@marks = ('all', 'some')])
        or matches(f:norm(string-join($e//text()[not(ancestor::tei:note)], '')), '^[&quot;“”‘’«»„‚‹›''「『]')"/>
  </xsl:function>

  <xsl:template match="tei:quote | tei:q | tei:said | tei:soCalled" mode="html">
    <q>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="string-join((local-name(), if (f:marks-kept(.)) then 'marks-kept' else ()), ' ')"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </q>
  </xsl:template>

  <xsl:template match="tei:cit" mode="html">
    <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'cit'"/></xsl:call-template>
      <xsl:for-each select="node()">
        <xsl:if test="self::tei:bibl and preceding-sibling::tei:quote"><xsl:text> </xsl:text></xsl:if>
        <xsl:apply-templates select="." mode="html"/>
      </xsl:for-each>
    </span>
  </xsl:template>

  <xsl:template match="tei:bibl" mode="html">
    <!-- entries encoded one after another with nothing between them still read as separate words -->
    <xsl:if test="preceding-sibling::node()[1][self::tei:bibl or self::tei:biblStruct]"><xsl:text> </xsl:text></xsl:if>
    <xsl:element name="{if (f:contains-block(.)) then 'div' else if (f:is-block(.)) then 'p' else 'span'}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="if (parent::tei:cit) then 'bibl cit-source' else 'bibl'"/><xsl:with-param name="always-id" select="true()"/></xsl:call-template>
      <xsl:call-template name="f:bib-link-content"/>
    </xsl:element>
  </xsl:template>

  <!-- ======================= editorial interventions ======================= -->

  <!-- The reading shown first in a choice: the corrected, expanded, regularised form. -->
  <xsl:variable name="f:choice-preference" as="xs:string+" select="('corr', 'expan', 'reg', 'ex', 'seg', 'sic', 'abbr', 'orig', 'am')"/>

  <xsl:template match="tei:choice" mode="html">
    <xsl:variable name="alts" select="*"/>
    <xsl:variable name="main" select="(for $n in $f:choice-preference return $alts[local-name() = $n])[1]"/>
    <span>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'choice'"/></xsl:call-template>
      <xsl:apply-templates select="$main" mode="html"/>
      <xsl:for-each select="$alts except $main">
        <xsl:text> </xsl:text>
        <span class="alt alt-{local-name()}">
          <xsl:text>[</xsl:text>
          <span class="alt-label"><xsl:value-of select="f:alt-label(.)"/></span>
          <xsl:text> </xsl:text>
          <xsl:apply-templates select="." mode="html"/>
          <xsl:text>]</xsl:text>
        </span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <xsl:function name="f:alt-label" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="(map{'sic': 'sic:', 'corr': 'corr.:', 'abbr': 'abbr.:', 'expan': 'expanded:', 'orig': 'orig.:',
                               'reg': 'reg.:', 'am': 'abbr. mark:', 'ex': 'expanded:'}(local-name($e)), 'or:')[1]"/>
  </xsl:function>

  <xsl:template match="tei:corr | tei:reg | tei:expan | tei:orig | tei:abbr | tei:am | tei:ex | tei:seg | tei:w | tei:c | tei:pc
                       | tei:s | tei:cl | tei:phr | tei:num | tei:measure | tei:measureGrp | tei:rs[not(f:name-ids(.))]
                       | tei:roleName | tei:forename | tei:surname | tei:genName | tei:nameLink | tei:addName
                       | tei:affiliation | tei:email | tei:code | tei:ident | tei:gi | tei:att | tei:val | tei:tag
                       | tei:formula | tei:metamark | tei:damage | tei:surplus | tei:secl | tei:restore | tei:handShift
                       | tei:lem | tei:rdg | tei:time | tei:idno | tei:sic" mode="html">
    <xsl:element name="{if (f:contains-block(.)) then 'div' else if (self::tei:abbr) then 'abbr' else if (self::tei:code or self::tei:gi or self::tei:att or self::tei:val or self::tei:tag or self::tei:ident) then 'code' else 'span'}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="f:class-name(.)"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

  <!-- A sic outside a choice: the text as printed, marked. -->
  <xsl:template match="tei:sic[not(parent::tei:choice)]" mode="html">
    <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'sic'"/></xsl:call-template><xsl:apply-templates mode="html"/></span>
    <span class="editorial"> [sic]</span>
  </xsl:template>

  <xsl:template match="tei:add" mode="html">
    <ins><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'add' || (@place ! (' place-' || replace(normalize-space(.), '\s+', '-')))"/></xsl:call-template><xsl:apply-templates mode="html"/></ins>
  </xsl:template>

  <xsl:template match="tei:del" mode="html">
    <del><xsl:call-template name="f:attrs"/><xsl:apply-templates mode="html"/></del>
  </xsl:template>

  <xsl:template match="tei:subst | tei:mod | tei:redo | tei:undo" mode="html">
    <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template><xsl:apply-templates mode="html"/></span>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="html">
    <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'supplied'"/></xsl:call-template>[<xsl:apply-templates mode="html"/>]</span>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="html">
    <span title="{string-join(('unclear', @reason ! ('(' || . || ')')), ' ')}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'unclear'"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </span>
  </xsl:template>

  <!-- Something the source lacks or the editors left out: an ellipsis in brackets, described for screen readers. -->
  <xsl:template match="tei:gap" mode="html">
    <xsl:variable name="desc" select="f:norm(string-join(('gap', @quantity, @unit, @extent, @reason ! ('(' || . || ')'), tei:desc), ' '))"/>
    <span role="note" aria-label="{$desc}" title="{$desc}">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'gap'"/></xsl:call-template>
      <xsl:text>[…]</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="tei:space" mode="html">
    <span class="space"><xsl:call-template name="f:attrs"/><xsl:text> </xsl:text></span>
  </xsl:template>

  <!-- Critical apparatus: the lemma in the text, the readings beside it. -->
  <xsl:template match="tei:app" mode="html">
    <span><xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'app'"/></xsl:call-template>
      <xsl:apply-templates select="tei:lem" mode="html"/>
      <xsl:for-each select="* except tei:lem">
        <xsl:text> </xsl:text>
        <span class="alt alt-{local-name()}">[<span class="alt-label"><xsl:value-of select="string-join((local-name(), @wit), ' ')"/>:</span><xsl:text> </xsl:text><xsl:apply-templates select="." mode="html"/>]</span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- ======================= breaks and milestones ======================= -->

  <xsl:template match="tei:lb" mode="html">
    <xsl:if test="@break = 'no'"><span class="lb-hyphen" aria-hidden="true">-</span></xsl:if>
    <br><xsl:call-template name="f:attrs"/></br>
  </xsl:template>

  <xsl:template match="tei:pb" mode="html">
    <span role="note">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'pb'"/><xsl:with-param name="always-id" select="true()"/></xsl:call-template>
      <xsl:attribute name="aria-label" select="'Page ' || (@n, '(unnumbered)')[1]"/>
      <xsl:text>[</xsl:text><xsl:value-of select="if (normalize-space(@n)) then 'p. ' || @n else 'page break'"/><xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="tei:cb" mode="html">
    <span class="cb"><xsl:call-template name="f:attrs"/>[<xsl:value-of select="if (normalize-space(@n)) then 'col. ' || @n else 'column break'"/>]</span>
  </xsl:template>

  <xsl:template match="tei:milestone" mode="html">
    <span role="separator">
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'milestone'"/></xsl:call-template>
      <xsl:value-of select="if (normalize-space(@n)) then '[' || string-join((@unit, @n), ' ') || ']' else '⁂'"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:anchor" mode="html">
    <span class="anchor"><xsl:call-template name="f:attrs"/></span>
    <xsl:call-template name="f:note-calls-for-target"/>
  </xsl:template>

  <!-- Dates: a machine-readable time element when @when is an ISO date. -->
  <xsl:template match="tei:date" mode="html">
    <xsl:element name="{if (matches(@when, '^\d{4}(-\d\d(-\d\d)?)?$')) then 'time' else 'span'}">
      <xsl:if test="matches(@when, '^\d{4}(-\d\d(-\d\d)?)?$')"><xsl:attribute name="datetime" select="@when"/></xsl:if>
      <xsl:call-template name="f:attrs"><xsl:with-param name="class" select="'date'"/></xsl:call-template>
      <xsl:apply-templates mode="html"/>
    </xsl:element>
  </xsl:template>

</xsl:stylesheet>
