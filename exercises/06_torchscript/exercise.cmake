# Exercise 06's model comes from Python: export_model.py trains it and saves it with
# torch.jit.script at build time (never downloaded, never checked in), with the numbers Python
# gets from it (expected.json), into build/<preset>/exercises/06_torchscript/. Included by
# course_exercise() (cmake/Course.cmake), whose variables it uses.
#
# The interpreter must import torch: Debian's /usr/bin/python3 with python3-torch
# (scripts/install-deps.sh), or any python3 on the PATH with `pip install torch`;
# -DCOURSE_PYTHON=... chooses one.
if(NOT COURSE_PYTHON)
  find_program(path_python3 python3)
  foreach(candidate ${path_python3} /usr/bin/python3)
    execute_process(COMMAND ${candidate} -c "import torch" RESULT_VARIABLE no_torch
                    OUTPUT_QUIET ERROR_QUIET)
    if(no_torch EQUAL 0)
      set(COURSE_PYTHON ${candidate} CACHE FILEPATH "A python3 that imports torch (exercise 06)")
      break()
    endif()
  endforeach()
endif()
set(model_dir ${CMAKE_BINARY_DIR}/exercises/${name})
if(COURSE_PYTHON)
  add_custom_command(
    OUTPUT ${model_dir}/fashion_mlp.pt ${model_dir}/expected.json
    COMMAND ${COURSE_PYTHON} ${exercise_dir}/export_model.py --out-dir ${model_dir}
    DEPENDS ${exercise_dir}/export_model.py
    COMMENT "Exercise 06: training and exporting its model in Python (torch.jit.script)"
    VERBATIM)
else()
  message(WARNING "Exercise 06 needs PyTorch for Python to export its model, and no python3 here "
                  "imports torch: install python3-torch (scripts/install-deps.sh) or "
                  "`pip install torch`, or pass -DCOURSE_PYTHON=/path/to/python3")
  add_custom_command(
    OUTPUT ${model_dir}/fashion_mlp.pt ${model_dir}/expected.json
    COMMAND ${CMAKE_COMMAND} -E echo "exercise 06: no python3 with torch to export the model: "
            "install python3-torch (scripts/install-deps.sh) or pip install torch, then reconfigure"
    COMMAND ${CMAKE_COMMAND} -E false
    VERBATIM)
endif()
add_custom_target(${name}_model DEPENDS ${model_dir}/fashion_mlp.pt ${model_dir}/expected.json)
add_dependencies(exercise_${name} ${name}_model)
target_compile_definitions(exercise_${name} PUBLIC COURSE_TORCHSCRIPT_DIR="${model_dir}")
