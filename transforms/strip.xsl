<?xml version="1.0" encoding="UTF-8"?>
<!--
  strip.xsl: a document as the other stylesheets see it when it is their
  source: without the layout whitespace common.xsl's xsl:strip-space names.
  tei.transform passes every document through it once, because Saxon strips
  only a transformation's principal source, not documents given as
  parameters ($documents, $registers), and the site is made in one
  transformation with every document as a parameter.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>

  <xsl:mode on-no-match="shallow-copy"/>

</xsl:stylesheet>
