<?xml version="1.0" encoding="UTF-8"?>
<!--
  bibliography/csl-json.xsl: CSL-JSON (the Citation Style Language's data
  format, read by citeproc-js, citeproc-py, Zotero, Pandoc). An array of
  items with id, type, title, container-title, author/editor/translator
  ({family, given} or {literal}), issued ({date-parts} from a year, else
  {literal}), publisher, publisher-place, volume, issue, page, URL, DOI,
  note. Written with keys in a fixed order, two-space indentation; strings
  escaped by fn:xml-to-json.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    xmlns:j="http://www.w3.org/2005/xpath-functions"
    exclude-result-prefixes="#all">

  <xsl:function name="f:json-string" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="x"><j:string><xsl:value-of select="$s"/></j:string></xsl:variable>
    <xsl:sequence select="xml-to-json($x)"/>
  </xsl:function>

  <!-- A JSON value from the fn:xml-to-json vocabulary, indented. -->
  <xsl:function name="f:json" as="xs:string">
    <xsl:param name="v" as="element()"/>
    <xsl:param name="indent" as="xs:string"/>
    <xsl:variable name="in" select="$indent || '  '"/>
    <xsl:choose>
      <xsl:when test="$v/self::j:map">
        <xsl:sequence select="if (empty($v/*)) then '{}' else
            '{&#10;' || string-join($v/* ! ($in || f:json-string(@key) || ': ' || f:json(., $in)), ',&#10;') || '&#10;' || $indent || '}'"/>
      </xsl:when>
      <xsl:when test="$v/self::j:array">
        <xsl:sequence select="if (empty($v/*)) then '[]' else
            '[&#10;' || string-join($v/* ! ($in || f:json(., $in)), ',&#10;') || '&#10;' || $indent || ']'"/>
      </xsl:when>
      <xsl:when test="$v/self::j:number"><xsl:sequence select="string($v)"/></xsl:when>
      <xsl:otherwise><xsl:sequence select="f:json-string(string($v))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:variable name="f:csl-types" as="map(xs:string, xs:string)" select="map{
      'book': 'book', 'article-journal': 'article-journal', 'article-magazine': 'article-magazine',
      'article-newspaper': 'article-newspaper', 'chapter': 'chapter', 'thesis': 'thesis', 'webpage': 'webpage',
      'manuscript': 'manuscript', 'letter': 'personal_communication', 'interview': 'interview', 'report': 'report',
      'pamphlet': 'pamphlet', 'speech': 'speech', 'document': 'document'}"/>

  <xsl:function name="f:csl-names" as="element(j:array)">
    <xsl:param name="people" as="element()*"/>
    <j:array>
      <xsl:for-each select="$people">
        <j:map>
          <xsl:choose>
            <xsl:when test="@literal"><j:string key="literal"><xsl:value-of select="@literal"/></j:string></xsl:when>
            <xsl:otherwise>
              <j:string key="family"><xsl:value-of select="@family"/></j:string>
              <xsl:if test="normalize-space(@given)"><j:string key="given"><xsl:value-of select="@given"/></j:string></xsl:if>
            </xsl:otherwise>
          </xsl:choose>
        </j:map>
      </xsl:for-each>
    </j:array>
  </xsl:function>

  <xsl:function name="f:csl-json" as="xs:string">
    <xsl:param name="records" as="element(r:record)*"/>
    <xsl:variable name="items" as="element(j:array)">
      <j:array>
        <xsl:for-each select="$records">
          <j:map>
            <j:string key="id"><xsl:value-of select="@key"/></j:string>
            <j:string key="type"><xsl:value-of select="($f:csl-types(string(@type)), 'document')[1]"/></j:string>
            <xsl:for-each select="r:title"><j:string key="title"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:container"><j:string key="container-title"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:series"><j:string key="collection-title"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:if test="r:author"><xsl:sequence select="f:keyed(f:csl-names(r:author), 'author')"/></xsl:if>
            <xsl:if test="r:editor"><xsl:sequence select="f:keyed(f:csl-names(r:editor), 'editor')"/></xsl:if>
            <xsl:if test="r:translator"><xsl:sequence select="f:keyed(f:csl-names(r:translator), 'translator')"/></xsl:if>
            <xsl:for-each select="r:date">
              <j:map key="issued">
                <xsl:choose>
                  <xsl:when test="@year"><j:array key="date-parts"><j:array><j:number><xsl:value-of select="xs:integer(@year)"/></j:number></j:array></j:array></xsl:when>
                  <xsl:otherwise><j:string key="literal"><xsl:value-of select="."/></j:string></xsl:otherwise>
                </xsl:choose>
              </j:map>
            </xsl:for-each>
            <xsl:for-each select="r:edition"><j:string key="edition"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="(r:institution, r:publisher)[1]"><j:string key="publisher"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:place"><j:string key="publisher-place"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:genre"><j:string key="genre"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:volume"><j:string key="volume"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:issue"><j:string key="issue"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:pages"><j:string key="page"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:url"><j:string key="URL"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:doi"><j:string key="DOI"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:for-each select="r:isbn"><j:string key="ISBN"><xsl:value-of select="."/></j:string></xsl:for-each>
            <xsl:if test="r:note"><j:string key="note"><xsl:value-of select="string-join(r:note, '; ')"/></j:string></xsl:if>
          </j:map>
        </xsl:for-each>
      </j:array>
    </xsl:variable>
    <xsl:sequence select="f:json($items, '') || '&#10;'"/>
  </xsl:function>

  <xsl:function name="f:keyed" as="element()">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:element name="{name($e)}" namespace="http://www.w3.org/2005/xpath-functions">
      <xsl:attribute name="key" select="$key"/>
      <xsl:sequence select="$e/node()"/>
    </xsl:element>
  </xsl:function>

</xsl:stylesheet>
