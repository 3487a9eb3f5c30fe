<?xml version="1.0" encoding="UTF-8"?>
<!--
  bibliography/bibtex.xsl: BibTeX. Entry types: book, article, incollection,
  phdthesis/mastersthesis, unpublished, booklet, techreport, misc. Names as
  "Family, Given and Family, Given"; names of organisations (and single
  words) in braces so that BibTeX does not split them. TeX's special
  characters are escaped (\& \% \$ \# \_ \{ \} and \textbackslash{},
  \textasciitilde{}, \textasciicircum{}); everything else is UTF-8.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-edition:functions"
    xmlns:r="urn:x-tei-edition:record"
    exclude-result-prefixes="#all">

  <xsl:variable name="f:tex-escapes" as="map(xs:string, xs:string)" select="map{
      '\': '\textbackslash{}', '{': '\{', '}': '\}', '&amp;': '\&amp;', '%': '\%', '$': '\$', '#': '\#', '_': '\_',
      '~': '\textasciitilde{}', '^': '\textasciicircum{}'}"/>

  <xsl:function name="f:tex" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="n" select="f:norm($s)"/>
    <!-- most fields have no character to escape: then no walk through the characters -->
    <xsl:sequence select="if (translate($n, '\{}&amp;%$#_~^', '') = $n) then $n
                          else string-join(for $c in string-to-codepoints($n) ! codepoints-to-string(.)
                                           return ($f:tex-escapes($c), $c)[1], '')"/>
  </xsl:function>

  <xsl:function name="f:bibtex-type" as="xs:string">
    <xsl:param name="r" as="element(r:record)"/>
    <xsl:variable name="t" select="string($r/@type)"/>
    <xsl:sequence select="
        if ($t = 'book') then 'book'
        else if ($t = ('article-journal', 'article-magazine', 'article-newspaper')) then (if ($r/r:container) then 'article' else 'misc')
        else if ($t = 'chapter') then (if ($r/r:container) then 'incollection' else 'misc')
        else if ($t = 'thesis') then (if (matches($r/r:genre, 'master|(^|\W)M\.?A(\W|$)|M\.?Phil', 'i')) then 'mastersthesis' else 'phdthesis')
        else if ($t = 'manuscript') then 'unpublished'
        else if ($t = 'pamphlet') then 'booklet'
        else if ($t = 'report' and ($r/r:institution or $r/r:publisher)) then 'techreport'
        else 'misc'"/>
  </xsl:function>

  <xsl:function name="f:bibtex-names" as="xs:string">
    <xsl:param name="people" as="element()*"/>
    <xsl:sequence select="string-join($people ! (if (@literal) then '{' || f:tex(@literal) || '}'
                                                 else f:tex(string-join((@family, @given[. != '']), ', '))), ' and ')"/>
  </xsl:function>

  <xsl:function name="f:bibtex" as="xs:string">
    <xsl:param name="records" as="element(r:record)*"/>
    <xsl:variable name="entries" as="xs:string*">
      <xsl:for-each select="$records">
        <xsl:variable name="r" select="."/>
        <xsl:variable name="type" select="f:bibtex-type(.)"/>
        <xsl:variable name="notes" select="string-join((r:note, if ($type = 'unpublished' and empty(r:note)) then 'Unpublished' else ()) ! f:norm(.), '; ')"/>
        <xsl:variable name="fields" as="xs:string*" select="(
            r:author[1] ! ('author', f:bibtex-names($r/r:author)),
            r:editor[1] ! ('editor', f:bibtex-names($r/r:editor)),
            r:translator[1] ! ('translator', f:bibtex-names($r/r:translator)),
            r:title ! ('title', f:tex(.)),
            r:container[$type = 'article'] ! ('journal', f:tex(.)),
            r:container[$type = 'incollection'] ! ('booktitle', f:tex(.)),
            r:container[not($type = ('article', 'incollection'))] ! ('howpublished', f:tex(.)),
            r:series ! ('series', f:tex(.)),
            r:edition ! ('edition', f:tex(.)),
            r:volume ! ('volume', f:tex(.)),
            r:issue ! ('number', f:tex(.)),
            r:pages ! ('pages', f:tex(replace(., '[–—-]+', '--'))),
            r:date/@year ! ('year', string(.)),
            r:date[not(@year)] ! ('date', f:tex(.)),
            r:publisher[not($type = ('phdthesis', 'mastersthesis', 'techreport'))] ! ('publisher', f:tex(.)),
            r:institution[$type = ('phdthesis', 'mastersthesis')] ! ('school', f:tex(.)),
            (r:institution, r:publisher)[$type = 'techreport'][1] ! ('institution', f:tex(.)),
            r:genre[$type = ('phdthesis', 'mastersthesis') and not(. = 'PhD diss.')] ! ('type', f:tex(.)),
            r:place ! ('address', f:tex(.)),
            r:url ! ('url', f:tex(.)),
            r:doi ! ('doi', f:tex(.)),
            r:isbn ! ('isbn', f:tex(.)),
            $notes[. != ''] ! ('note', f:tex(.)))"/>
        <xsl:sequence select="'@' || $type || '{' || @key || ',&#10;'
            || string-join(for $i in 1 to count($fields) idiv 2
                           return '  ' || $fields[2 * $i - 1] || ' = {' || $fields[2 * $i] || '}', ',&#10;')
            || '&#10;}&#10;'"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($entries, '&#10;')"/>
  </xsl:function>

</xsl:stylesheet>
