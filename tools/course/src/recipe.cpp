#include "course_tool/recipe.h"

#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "course_tool/files.h"
#include "course_tool/student_build.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {


std::string link_command(const std::string& ninja, const fs::path& tree,
                         const std::string& target) {
  const ProcessResult commands =
      run_process({ninja, "-C", tree.string(), "-t", "commands", target});
  if (!commands.succeeded()) {
    throw CourseError(fmt::format("`{} -t commands {}` in {} failed: {}", ninja, target,
                                  tree.string(), commands.output));
  }
  std::string last, line;
  std::istringstream lines(commands.output);
  while (std::getline(lines, line)) {
    if (!trim(line).empty()) last = line;
  }
  return last;
}

ExerciseRecipe::Source source_recipe(const nlohmann::json& database, const fs::path& stub,
                                     const fs::path& tree) {
  ExerciseRecipe::Source source{stub, {}, {}};
  for (const auto& entry : database) {
    // The tree records the path as CMake was given it (through a symbolic link, often): the
    // same file, whatever the spelling. The stub is then named as the command names it.
    const fs::path file = entry.value("file", "");
    if (!same_path(file, stub)) continue;
    source.stub = file.lexically_normal();
    source.compile = entry.value("command", "");
    source.object = entry.value("output", "");
  }
  if (source.compile.empty()) {
    throw CourseError(
        fmt::format("{} has no compile command for {}", tree.string(), stub.string()));
  }
  if (source.object.empty()) {  // older CMake: find it after -o
    const auto at = source.compile.find(" -o ");
    if (at == std::string::npos) throw CourseError("no -o in " + source.compile);
    const auto begin = at + 4;
    source.object = source.compile.substr(begin, source.compile.find(' ', begin) - begin);
  }
  return source;
}

}  // namespace

ExerciseRecipe read_recipe(const Manifest& manifest, const Exercise& exercise, const fs::path& tree,
                           const std::vector<std::string>& targets) {
  ExerciseRecipe recipe;
  const auto database = nlohmann::json::parse(read_text(tree / "compile_commands.json"));
  for (const auto& file : exercise.files) {
    recipe.sources.push_back(
        source_recipe(database, (manifest.root / exercise.folder / file).lexically_normal(), tree));
  }
  const auto cache = read_cmake_cache(tree / "CMakeCache.txt");
  const auto ninja = cache.find("CMAKE_MAKE_PROGRAM");
  if (ninja == cache.end() ||
      fs::path(ninja->second).filename().string().find("ninja") == std::string::npos) {
    throw CourseError(fmt::format("{} is not a Ninja build (--generator Ninja): its commands "
                                  "cannot be read",
                                  tree.string()));
  }
  // A tree configured through a symbolic link names the course as the link (CMake keeps the
  // shell's spelling): its commands are read with the course's own path instead, the one the
  // sandbox binds (its private /tmp, for one, has no such link).
  const fs::path course = canonical_path(manifest.root);
  const std::string relative =
      recipe.sources.empty() ? "" : (exercise.folder / exercise.files.front()).string();
  const std::string recorded = recipe.sources.empty() ? "" : recipe.sources.front().stub.string();
  std::string spelled;  // the course's path as the tree spells it, when it is another
  if (!relative.empty() && recorded.size() > relative.size() &&
      recorded.compare(recorded.size() - relative.size(), std::string::npos, relative) == 0) {
    spelled = recorded.substr(0, recorded.size() - relative.size());
    if (spelled == course.string() + "/") spelled.clear();
  }
  auto in_course_spelling = [&](const std::string& text) {
    return spelled.empty() ? text : replace_all(text, spelled, course.string() + "/");
  };
  for (auto& source : recipe.sources) {
    source.stub = in_course_spelling(source.stub.string());
    source.compile = in_course_spelling(source.compile);
    source.object = in_course_spelling(source.object);
  }
  const std::string archive = "lib" + exercise.library + ".a";
  for (const auto& target : targets) {
    std::string link = in_course_spelling(link_command(ninja->second, tree, target));
    if (link.find(archive) == std::string::npos)
      throw CourseError(
          fmt::format("the link command of {} does not name {}: {}", target, archive, link));
    recipe.targets.push_back(target);
    recipe.links.push_back(link);
  }
  if (!recipe.links.empty()) {  // the archive's path as the link commands spell it
    std::istringstream words(recipe.links.front());
    std::string word;
    while (words >> word) {
      if (fs::path(word).filename() == archive) recipe.library = word;
    }
  }
  return recipe;
}

ProcessResult run_shell(const std::string& command, const fs::path& directory) {
  ProcessOptions options;
  options.working_directory = directory;
  options.timeout_seconds = 600;
  return run_process(shell_command(command), options);
}

std::string tree_archiver(const fs::path& tree) {
  const auto cache = read_cmake_cache(tree / "CMakeCache.txt");
  return cache.count("CMAKE_AR") ? cache.at("CMAKE_AR") : "ar";
}

Rebuilt rebuild(const ExerciseRecipe& recipe, const fs::path& tree,
                const std::vector<fs::path>& sources, const fs::path& folder,
                const std::string& ar, const ShellRunner& run) {
  Rebuilt rebuilt;
  fs::create_directories(folder);
  std::vector<std::string> objects;
  for (size_t i = 0; i < recipe.sources.size(); ++i) {
    const auto& source = recipe.sources[i];
    // The object keeps the name CMake gave it, so that `ar r` replaces the stub's member.
    const fs::path object = folder / fs::path(source.object).filename();
    std::string compile = replace_all(source.compile, source.object, object.string());
    compile = replace_all(compile, source.stub.string(), sources.at(i).string());
    rebuilt.process = run(compile, tree);
    if (!rebuilt.process.succeeded()) {
      rebuilt.failed_step = "compile " + source.stub.filename().string();
      return rebuilt;
    }
    objects.push_back(object.string());
  }
  const fs::path library = folder / recipe.library.filename();
  fs::copy_file(tree / recipe.library, library, fs::copy_options::overwrite_existing);
  std::vector<std::string> archive = {ar, "r", library.string()};
  archive.insert(archive.end(), objects.begin(), objects.end());
  rebuilt.process = run_process(archive);
  if (!rebuilt.process.succeeded()) {
    rebuilt.failed_step = "archive";
    return rebuilt;
  }
  for (size_t i = 0; i < recipe.targets.size(); ++i) {
    const std::string& target = recipe.targets[i];
    const fs::path binary = folder / target;
    std::string link = replace_all(recipe.links[i], recipe.library.string(), library.string());
    link = replace_all(link, "-o bin/" + target + " ", "-o " + binary.string() + " ");
    link = replace_all(link, "-o " + (tree / "bin" / target).string() + " ",
                       "-o " + binary.string() + " ");
    rebuilt.process = run(link, tree);
    if (!rebuilt.process.succeeded() || !fs::exists(binary)) {
      rebuilt.failed_step = "link " + target;
      return rebuilt;
    }
    rebuilt.binaries.push_back(binary);
  }
  return rebuilt;
}

}  // namespace course::tool
