{
  "targets": [
    {
      "target_name": "pam_linalg",
      "sources": ["linalg.c"],
      "cflags": ["-O2", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas"]
    }
  ]
}
