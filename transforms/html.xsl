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
    site           all of these at once, as (file name, page) strings

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

  <!-- How every page is written (the same as xsl:output, for the pages "site" serializes itself). -->
  <xsl:variable name="f:html-serialization" as="map(*)"
      select="map{'method': 'html', 'html-version': 5, 'encoding': 'UTF-8', 'indent': false(), 'include-content-type': false()}"/>

  <!--
    The whole site in one transformation (what tei.transform runs): for each
    page, its file name, then the page serialized. Keys and global variables
    are then built once for all pages instead of once per page.
  -->
  <!-- Which pages "site" makes: any of 'documents', 'index', 'registers', 'bibliography' (tei.outputs
       splits the site between tasks), and 'mentions': for each (full) document, "mentions&#9;slug" and its
       lists of mentions (f:mentions-in), each in a tei-fragment element whose key is the entry's id. -->
  <xsl:param name="site-pages" as="xs:string*" select="('documents', 'index', 'registers', 'bibliography')"/>
  <!-- Register pages as skeletons: a tei-slot element where an entry's mentions go; the site then also
       gives the frame around them ("~mentions-frame", with an empty slot where the lists go, and
       "~mentions-none"). -->
  <xsl:param name="mention-slots" as="xs:boolean" select="false()"/>

  <xsl:template name="site" as="xs:string*">
    <xsl:if test="$site-pages = 'documents'">
      <xsl:for-each select="$documents[not(f:is-stub(.))]">
        <xsl:variable name="page" as="document-node()"><xsl:document><xsl:apply-templates select="."/></xsl:document></xsl:variable>
        <xsl:sequence select="f:slug(.) || '.html', serialize($page, $f:html-serialization)"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="$site-pages = 'mentions'">
      <xsl:for-each select="$documents[not(f:is-stub(.))]">
        <xsl:variable name="doc" select="."/>
        <xsl:variable name="lists" as="element()">
          <tei-fragments>
            <xsl:for-each select="f:mentioned-ids(.)">
              <tei-fragment key="{.}">
                <xsl:call-template name="f:mentions-in"><xsl:with-param name="doc" select="$doc"/><xsl:with-param name="id" select="."/></xsl:call-template>
              </tei-fragment>
            </xsl:for-each>
          </tei-fragments>
        </xsl:variable>
        <xsl:sequence select="'mentions&#9;' || f:slug($doc), serialize($lists, $f:html-serialization)"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="$site-pages = 'registers' and $mention-slots">
      <xsl:variable name="slot" as="element()"><tei-slot key=""/></xsl:variable>
      <xsl:sequence select="'~mentions-frame', serialize(f:mentions-frame($slot), $f:html-serialization),
                            '~mentions-none', serialize(f:mentions-frame(()), $f:html-serialization)"/>
    </xsl:if>
    <xsl:variable name="pages" as="document-node()*">
      <xsl:if test="$site-pages = 'index'"><xsl:document><xsl:call-template name="index"/></xsl:document></xsl:if>
      <xsl:if test="$site-pages = 'registers'">
        <xsl:document><xsl:call-template name="persons"/></xsl:document>
        <xsl:document><xsl:call-template name="places"/></xsl:document>
        <xsl:document><xsl:call-template name="organisations"/></xsl:document>
      </xsl:if>
      <xsl:if test="$site-pages = 'bibliography'"><xsl:document><xsl:call-template name="bibliography"/></xsl:document></xsl:if>
    </xsl:variable>
    <xsl:variable name="names" select="('index'[$site-pages = 'index'], ('persons', 'places', 'organisations')[$site-pages = 'registers'],
                                        'bibliography'[$site-pages = 'bibliography'])"/>
    <xsl:for-each select="$pages">
      <xsl:variable name="i" select="position()"/>
      <xsl:if test="*"><xsl:sequence select="$names[$i] || '.html', serialize(., $f:html-serialization)"/></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:mode name="html" on-no-match="text-only-copy"/>
  <xsl:mode name="html-toc" on-no-match="shallow-skip"/>
  <xsl:mode name="html-header" on-no-match="shallow-skip"/>
  <xsl:mode name="html-page-content" on-no-match="shallow-skip"/>

</xsl:stylesheet>
