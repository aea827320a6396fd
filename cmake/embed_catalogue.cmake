# Writes the .mo file MO (po/es.po compiled by msgfmt) into the C++ source OUT as a byte array,
# so that the program carries its Spanish and needs no installed locale (common/language.h).
#   cmake -DMO=es.mo -DOUT=spanish_catalogue.cpp -P embed_catalogue.cmake
file(READ "${MO}" bytes HEX)
string(LENGTH "${bytes}" digits)
math(EXPR size "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${bytes}")
string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp" "// Generated from po/es.po by cmake/embed_catalogue.cmake: do not edit.\n"
  "#include <cstddef>\n\nnamespace course {\n"
  "extern const unsigned char kSpanishMo[];\nextern const size_t kSpanishMoSize;\n"
  "const unsigned char kSpanishMo[] = {\n${bytes}\n};\n"
  "const size_t kSpanishMoSize = ${size};\n}  // namespace course\n")
file(RENAME "${OUT}.tmp" "${OUT}")
