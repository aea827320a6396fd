// --help and the command line's errors in the student's language (common/language.h). CLI11
// speaks English; every program of the course that parses its flags with CLI11 calls
// localize_cli() once its options are declared, before parsing (course::run_main does it for
// the programs built on it), and reports a CLI::ParseError with cli_error_message(). The
// descriptions stay English in the code, marked for the catalogue with N_ (or tr), and are
// translated here, together with CLI11's own words: its labels ("Usage", "Options", "REQUIRED",
// the type names TEXT, INT, FLOAT...), the help flag, and the messages of its errors, matched by
// the error's type. Header-only and free of LibTorch, so that the course runner uses it too.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/language.h"
#include "common/text.h"

namespace course {
namespace cli_language {

// An option group's heading: CLI11 spells "[Option Group: NAME]" itself.
class Formatter : public CLI::Formatter {
 public:
  std::string make_expanded(const CLI::App* sub) const override {
    std::string text = CLI::Formatter::make_expanded(sub);
    const std::string english = "[Option Group: " + sub->get_group() + "]";
    if (sub->get_name().empty() && starts_with(text, english)) {
      text.replace(0, english.size(), trf("[Option Group: {}]", sub->get_group()));
    }
    return text;
  }
};

// "INT:INT in [1 - 1024]" -> "ENTERO:ENTERO en [1 - 1024]": each part of an option's type, as
// CLI11 joins the type and its validators' names with ':'.
inline std::string type_name(const std::string& english) {
  std::string result;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = english.find(':', start);
    const std::string part =
        english.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (start > 0) result += ':';
    const std::size_t range = part.find(" in [");
    if (range != std::string::npos && !part.empty() && part.back() == ']') {
      result += trf("{} in [{}]", tr(part.substr(0, range)),
                    part.substr(range + 5, part.size() - range - 6));
    } else {
      result += tr(part);
    }
    if (colon == std::string::npos) return result;
    start = colon + 1;
  }
}

// Every description, group and type name of `app` and of its subcommands and option groups.
inline void translate(CLI::App& app, const std::shared_ptr<Formatter>& formatter) {
  app.formatter(formatter);
  app.description(std::string(tr(app.get_description())));
  app.footer(std::string(tr(app.get_footer())));
  for (CLI::Option* option : app.get_options()) {
    option->description(std::string(tr(option->get_description())));
    if (option->get_group() == "Options") option->group(std::string(tr("Options")));
    const std::string type = option->get_type_name();
    if (!type.empty()) formatter->label(type, type_name(type));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name().empty() || sub->get_group() == "Subcommands") {
      sub->group(std::string(tr(sub->get_group())));  // an option group's name, or "Subcommands"
    }
    translate(*sub, formatter);
  }
}

template <typename Type>
bool is_a(const CLI::Error& error) {
  return dynamic_cast<const Type*>(&error) != nullptr;
}

// "NAME: message" -> NAME and message.
inline bool split(const std::string& text, std::string_view separator, std::string& before,
                  std::string& after) {
  const std::size_t at = text.find(separator);
  if (at == std::string::npos) return false;
  before = text.substr(0, at);
  after = text.substr(at + separator.size());
  return true;
}

// What CLI11's validators say (CLI::Range, CLI::IsMember, CLI::ExistingPath...), in Spanish; the
// course's own validators speak the student's language already.
inline std::string validator_message(const std::string& english) {
  std::string value, rest, low, high;
  if (starts_with(english, "Value ") && split(english.substr(6), " not in range ", value, rest) &&
      split(rest, " to ", low, high)) {
    return trf("{} is not between {} and {}", value, low, high);
  }
  if (split(english, " not in {", value, rest)) {
    return trf("{} is not one of {}", value, "{" + rest);
  }
  const std::pair<const char*, const char*> paths[] = {
      {"Path does not exist: ", N_("the path {} does not exist")},
      {"File does not exist: ", N_("the file {} does not exist")},
      {"File is actually a directory: ", N_("{} is a folder, not a file")},
      {"Directory does not exist: ", N_("the folder {} does not exist")},
      {"Directory is actually a file: ", N_("{} is a file, not a folder")},
      {"Path already exists: ", N_("the path {} exists already")}};
  for (const auto& [prefix, message] : paths) {
    if (starts_with(english, prefix)) return trf(message, english.substr(std::strlen(prefix)));
  }
  return english;
}

}  // namespace cli_language

// The message of a CLI11 error in the current language (in English: CLI11's own), by the error's
// type (its name is not always the type's). A message this does not know stays as CLI11 wrote it.
inline std::string cli_error_message(const CLI::Error& error) {
  const std::string english = error.what();
  if (current_language() != Language::kSpanish) return english;
  using cli_language::is_a;
  using cli_language::split;
  std::string name, rest, count, type, value;
  if (is_a<CLI::ExtrasError>(error)) {
    if (split(english, "The following argument was not expected: ", name, rest)) {
      return trf("this argument was not expected: {}", rest);
    }
    if (split(english, "The following arguments were not expected: ", name, rest)) {
      return trf("these arguments were not expected: {}", rest);
    }
  } else if (is_a<CLI::RequiredError>(error)) {
    if (english == "A subcommand is required") return std::string(tr("a command is required"));
    if (split(english, " is required", name, rest) && rest.empty()) {
      return trf("{} is required", name);
    }
  } else if (is_a<CLI::RequiresError>(error)) {
    if (split(english, " requires ", name, rest)) return trf("{} needs {} too", name, rest);
  } else if (is_a<CLI::ExcludesError>(error)) {
    if (split(english, " excludes ", name, rest)) {
      return trf("{} and {} cannot be used together", name, rest);
    }
  } else if (is_a<CLI::ArgumentMismatch>(error)) {
    // "--seed: 1 required UINT missing": the flag came without its value.
    if (split(english, ": ", name, rest) && split(rest, " required ", count, value) &&
        split(value, " missing", type, rest) && rest.empty()) {
      return trf("{}: its value is missing ({})", name, cli_language::type_name(type));
    }
  } else if (is_a<CLI::ConversionError>(error)) {
    if (split(english, "Could not convert: ", rest, value) && split(value, " = ", name, rest)) {
      return trf("{}: '{}' is not a valid value", name, rest);
    }
    if (split(english, ": too many inputs for a flag", name, rest)) {
      return trf("{}: this flag takes no value", name);
    }
  } else if (is_a<CLI::ValidationError>(error)) {
    if (split(english, ": ", name, rest)) {
      return name + ": " + cli_language::validator_message(rest);
    }
  }
  return english;
}

// Puts `app`'s --help in the current language (see the top of this file), and the message a
// CLI11 error prints through app.exit(). Call it once every option and subcommand is declared.
inline void localize_cli(CLI::App& app) {
  const auto formatter = std::make_shared<cli_language::Formatter>();
  for (const char* label :
       {N_("Usage"), N_("OPTIONS"), N_("Positionals"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"),
        N_("REQUIRED"), N_("Env"), N_("Needs"), N_("Excludes"), N_("TEXT"), N_("INT"), N_("UINT"),
        N_("FLOAT"), N_("BOOLEAN"), N_("FILE"), N_("DIR"), N_("PATH(existing)"),
        N_("PATH(non-existing)"), N_("DEVICE")}) {
    formatter->label(label, std::string(tr(label)));
  }
  // CLI11's own words, which translate() meets as groups and descriptions: marked here for the
  // catalogue.
  (void)N_("Options");
  (void)N_("Subcommands");
  (void)N_("Print this help message and exit");
  (void)N_("Display program version information and exit");
  cli_language::translate(app, formatter);
  app.failure_message([](const CLI::App*, const CLI::Error& error) {
    return trf("{}\nRun with --help for more information.\n", cli_error_message(error));
  });
}

}  // namespace course
