<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/stub.xsl: a document's stub, what the pages of other documents need to
  know of it, so that a large edition is made a batch of documents at a time
  (tei.transform) without every document in memory:

    its teiHeader (title, authors, dates, slug), its word and note counts,
    an anchor for every id its text renders (links from other documents),
    the pointers of its text that name an entry of a bibliography register
    (the bibliography page links back to them), and whether its text has a
    listBibl.

  A stub is a TEI document whose root carries f:stub; the functions that
  other pages use (f:slug, f:title, f:href, f:anchor, ...) read it as they
  read the document. No page is made from a stub.

  The anchors are given apart (tei.transform.Stub puts them back): the pages
  of a batch link only to the ids their own pointers name, and at scale the
  anchors are most of a stub (three quarters of the bundled edition's stubs).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:function name="f:is-stub" as="xs:boolean">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="exists(root($doc)/*/@f:stub)"/>
  </xsl:function>

  <!-- The stub of a (full) document ($bib-ids: the ids of the bibliography registers' entries): the stub
       serialized as XML with the processing instruction <?tei-edition-anchors?> where its anchors go,
       then the id of each anchor, in document order. -->
  <xsl:function name="f:stub" as="xs:string+" visibility="public">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="bib-ids" as="xs:string*"/>
    <xsl:variable name="root" select="$doc/*"/>
    <xsl:variable name="is-bib-id" as="map(xs:string, xs:boolean)" select="map:merge($bib-ids ! map{.: true()})"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:variable name="stub" as="element()">
      <xsl:element name="{name($root)}" namespace="{namespace-uri($root)}">
        <xsl:copy-of select="$root/@*"/>
        <xsl:attribute name="f:stub" select="'true'"/>
        <xsl:attribute name="f:words" select="f:word-count($doc)"/>
        <xsl:attribute name="f:notes" select="count($root/tei:text//tei:note)"/>
        <xsl:copy-of select="$root/tei:teiHeader"/>
        <text xmlns="http://www.tei-c.org/ns/1.0">
          <xsl:copy-of select="$root/tei:text/@xml:lang"/>
          <body>
            <xsl:if test="exists($root/tei:text//tei:listBibl)"><listBibl/></xsl:if>
            <xsl:processing-instruction name="tei-edition-anchors"/>
            <xsl:for-each select="($doc//tei:text//(tei:ref | tei:ptr)[@target][some $i in f:pointer-ids(@target) satisfies $is-bib-id($i)]
                                  | $doc//tei:text//tei:bibl[some $i in (@corresp, @sameAs, @copyOf, @ref, @source) ! f:pointer-ids(string(.))
                                                             satisfies $is-bib-id($i)])[f:renders-id(.)]">
              <xsl:copy>
                <xsl:copy-of select="@* except @xml:id"/>
                <xsl:attribute name="f:anchor" select="f:anchor(.)"/>
              </xsl:copy>
            </xsl:for-each>
          </body>
        </text>
      </xsl:element>
    </xsl:variable>
    <xsl:sequence select="serialize($stub, map{'method': 'xml', 'indent': false()}),
                          $doc//tei:text//*[@xml:id][f:renders-id(.)]/string(@xml:id)"/>
  </xsl:function>

  <!-- Words and notes of a document's text, from the document or its stub (home page). -->
  <xsl:function name="f:doc-words" as="xs:integer">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="if (f:is-stub($doc)) then xs:integer(root($doc)/*/@f:words) else f:word-count($doc)"/>
  </xsl:function>

  <xsl:function name="f:doc-notes" as="xs:integer">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="if (f:is-stub($doc)) then xs:integer(root($doc)/*/@f:notes) else count(root($doc)/*/tei:text//tei:note)"/>
  </xsl:function>

</xsl:stylesheet>
