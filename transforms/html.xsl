<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl: the HTML reading edition (entry stylesheet).

  Applied to a TEI document: that document's page (DIR/<slug>.html).
  Called by name, with the whole edition in $documents and the registers in
  $registers:
    index          the home page listing the documents (index.html)
    persons        register pages: alphabetical index, one anchor per entry,
    places           every mention in every document linked to its place
    organisations    (persons.html, places.html, organisations.html)
    bibliography   the consolidated bibliography (bibliography.html)
    site           all of these at once, each written to its file (the names returned)

  For a large edition, tei.transform gives $documents as a few full documents
  and the stubs of the others (html/stub.xsl): pages are made for the full
  ones, and the register pages as skeletons ($mention-slots) that it fills
  with each document's mentions ('mentions' in $site-pages).

  All pages are static files in one folder with relative links; the stylesheet
  and the script they use are assets/edition.css and assets/edition.js (copied
  by tei.transform). Pages work without the script; with it, notes open as
  popups where their call is.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:x-tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:include href="html/page.xsl"/>
  <xsl:include href="html/document.xsl"/>
  <xsl:include href="html/blocks.xsl"/>
  <xsl:include href="html/inline.xsl"/>
  <xsl:include href="html/notes.xsl"/>
  <xsl:include href="html/links.xsl"/>
  <xsl:include href="html/header.xsl"/>
  <xsl:include href="html/index.xsl"/>
  <xsl:include href="html/registers.xsl"/>
  <xsl:include href="html/bibliography.xsl"/>
  <xsl:include href="html/stub.xsl"/>
  <xsl:include href="bibliography/model.xsl"/>
  <xsl:include href="bibliography/chicago.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <!-- Every document of the edition (for the home page, navigation, mentions, links between documents). -->
  <xsl:param name="documents" as="document-node()*" select="()"/>
  <!-- Register files (listPerson, listPlace, listOrg, listBibl with xml:ids). -->
  <xsl:param name="registers" as="document-node()*" select="()"/>
  <!-- The edition's name, shown in every page's banner. -->
  <xsl:param name="site-title" as="xs:string" select="'Reading edition'"/>
  <!-- Relative folders of the other outputs, when they are published beside the site ('' = not published). -->
  <xsl:param name="tei-href" as="xs:string" select="''"/>
  <xsl:param name="text-href" as="xs:string" select="''"/>
  <xsl:param name="bibliography-href" as="xs:string" select="''"/>
  <!-- Slugs (and 'edition' for the consolidated one) that have bibliography files in $bibliography-href. -->
  <xsl:param name="bibliography-slugs" as="xs:string*" select="()"/>

  <!-- How the pages "site" writes are serialized (the same as xsl:output). -->
  <xsl:output name="f:page" method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <!--
    The whole site in one transformation (what tei.transform runs): each page
    written (xsl:result-document, relative to the base output URI the caller
    sets), and the sequence of their names returned. Keys and global variables
    are then built once for all pages instead of once per page, and a page goes
    to its file as it is made (a page made as a tree, then serialized as a
    string, cost the thesis's 20 % more).
  -->
  <!-- Which pages "site" makes: any of 'documents', 'index', 'registers', 'bibliography' (tei.outputs
       splits the site between tasks), and 'mentions': "~mentions", the lists of mentions (f:mentions-in)
       of every (full) document, each in a tei-fragment element whose doc is the document's slug and
       whose key is the entry's id. -->
  <xsl:param name="site-pages" as="xs:string*" select="('documents', 'index', 'registers', 'bibliography')"/>
  <!-- Register pages as skeletons: a tei-slot element where an entry's mentions go; the site then also
       writes the frame around them ("~mentions-frame", with an empty slot where the lists go, and
       "~mentions-none"). -->
  <xsl:param name="mention-slots" as="xs:boolean" select="false()"/>

  <xsl:template name="site" as="xs:string*">
    <xsl:if test="$site-pages = 'documents'">
      <xsl:for-each select="$documents[not(f:is-stub(.))]">
        <xsl:result-document href="{f:slug(.)}.html" format="f:page"><xsl:apply-templates select="."/></xsl:result-document>
        <xsl:sequence select="f:slug(.) || '.html'"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="$site-pages = 'mentions'">
      <xsl:result-document href="~mentions" format="f:page">
        <tei-fragments>
          <xsl:for-each select="$documents[not(f:is-stub(.))]">
            <xsl:variable name="doc" select="."/>
            <xsl:variable name="slug" select="f:slug(.)"/>
            <xsl:for-each select="f:mentioned-ids(.)">
              <tei-fragment doc="{$slug}" key="{.}">
                <xsl:call-template name="f:mentions-in"><xsl:with-param name="doc" select="$doc"/><xsl:with-param name="id" select="."/></xsl:call-template>
              </tei-fragment>
            </xsl:for-each>
          </xsl:for-each>
        </tei-fragments>
      </xsl:result-document>
      <xsl:sequence select="'~mentions'"/>
    </xsl:if>
    <xsl:if test="$site-pages = 'registers' and $mention-slots">
      <xsl:variable name="slot" as="element()"><tei-slot key=""/></xsl:variable>
      <xsl:result-document href="~mentions-frame" format="f:page"><xsl:sequence select="f:mentions-frame($slot)"/></xsl:result-document>
      <xsl:result-document href="~mentions-none" format="f:page"><xsl:sequence select="f:mentions-frame(())"/></xsl:result-document>
      <xsl:sequence select="'~mentions-frame', '~mentions-none'"/>
    </xsl:if>
    <xsl:if test="$site-pages = 'index'">
      <xsl:result-document href="index.html" format="f:page"><xsl:call-template name="index"/></xsl:result-document>
      <xsl:sequence select="'index.html'"/>
    </xsl:if>
    <xsl:if test="$site-pages = 'registers'">
      <xsl:for-each select="$f:register-pages">
        <xsl:result-document href="{.}.html" format="f:page">
          <xsl:call-template name="f:register-page"><xsl:with-param name="kind" select="."/></xsl:call-template>
        </xsl:result-document>
        <xsl:sequence select=". || '.html'"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="$site-pages = 'bibliography' and $f:has-bibliography-page">
      <xsl:result-document href="bibliography.html" format="f:page"><xsl:call-template name="bibliography"/></xsl:result-document>
      <xsl:sequence select="'bibliography.html'"/>
    </xsl:if>
  </xsl:template>

  <xsl:mode name="html" on-no-match="text-only-copy"/>
  <xsl:mode name="html-toc" on-no-match="shallow-skip"/>
  <xsl:mode name="html-header" on-no-match="shallow-skip"/>
  <xsl:mode name="html-page-content" on-no-match="shallow-skip"/>

</xsl:stylesheet>
