#!/usr/bin/env bash
# Keeps po/es.po, the Spanish of every message the course prints, in step with the sources:
# extracts the English messages (xgettext, the course's keywords below) into build/po/course.pot
# and merges them into po/es.po (msgmerge): a new message comes in untranslated, a message whose
# English changed is marked fuzzy with its old Spanish, a message no source prints any more
# becomes obsolete (#~). Then translate what msgfmt's statistics count, and drop the fuzzy mark.
#   scripts/update-po.sh            # extract, merge, print the statistics
#   scripts/update-po.sh --check    # change nothing: exit 1 unless every message has its Spanish
# The keywords (common/language.h): tr("..."), trf("...", args), trn("one", "many", n, args),
# N_("...") for a message kept in a table and translated where it is printed, and the lessons'
# titles, Lesson lesson("...") and lesson.section("...", ...); in the Python twins (main.py) tr, trf,
# trn, Lesson("..."), lesson.section("...") and parser("...").
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
case ${1:-} in
  --check) check=true ;;
  "") ;;
  -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "update-po.sh: error: unknown option '$1' (use --check, or nothing)" >&2; exit 2 ;;
esac
for tool in xgettext msgmerge msgfmt msgattrib; do
  command -v "$tool" >/dev/null || {
    echo "update-po.sh: error: $tool not found: install gettext (scripts/install-deps.sh)" >&2
    exit 1
  }
done

out=${COURSE_PO_BUILD_DIR:-build/po}
mkdir -p "$out"
# Every source whose messages a student or an instructor reads (not the benches, not the tests
# of the tools themselves), in a stable order so that the references in po/es.po do not churn.
find common tools/course homework exercises tests/exercises tests/homework tests/support \
  \( -name '*.cpp' -o -name '*.h' \) -not -path '*/solution/*' | LC_ALL=C sort >"$out/sources"
xgettext --language=C++ --from-code=UTF-8 --no-wrap --sort-by-file \
  --package-name=libtorch-fundamentals --msgid-bugs-address=- --omit-header \
  -k -ktr:1 -ktrf:1 -ktrn:1,2 -kN_:1 -ksection:1 -klesson:1 \
  --files-from="$out/sources" -o "$out/course.pot"
# The lessons' Python twins (exercises/*/main.py, common/python/) print the C++'s own messages
# through the same catalogue; what only they print joins course.pot here.
find exercises common/python tools/parity -name '*.py' -not -path '*/solution/*' | LC_ALL=C sort >"$out/python-sources"
xgettext --language=Python --from-code=UTF-8 --no-wrap --sort-by-file --omit-header --join-existing \
  -k -ktr:1 -ktrf:1 -ktrn:1,2 -kN_:1 -ksection:1 -kLesson:1 -kparser:1 \
  --files-from="$out/python-sources" -o "$out/course.pot"

if $check; then
  msgmerge --quiet --no-wrap --no-fuzzy-matching -o "$out/es.checked.po" po/es.po "$out/course.pot"
  missing=$(msgattrib --untranslated --no-obsolete "$out/es.checked.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$out/es.checked.po" | grep -c '^msgid ' || true)
  obsolete=$(grep -c '^#~ msgid ' po/es.po || true)
  msgfmt --check --statistics -o /dev/null po/es.po
  if [ "$missing" -gt 0 ] || [ "$fuzzy" -gt 0 ] || [ "$obsolete" -gt 0 ]; then
    # The entries themselves (header excluded), so that the failure says which.
    msgattrib --untranslated --no-obsolete "$out/es.checked.po" | sed -n '/^#:/,$p' | head -40 >&2
    echo "po/es.po: $((missing > 0 ? missing - 1 : 0)) message(s) without Spanish," \
      "$((fuzzy > 0 ? fuzzy - 1 : 0)) fuzzy, $obsolete obsolete: run scripts/update-po.sh," \
      "translate, and remove the fuzzy marks and the #~ entries" >&2
    exit 1
  fi
  exit 0
fi
msgmerge --quiet --no-wrap --update --backup=none po/es.po "$out/course.pot"
msgfmt --check --statistics -o /dev/null po/es.po
