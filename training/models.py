"""Models of the training app. Courses, question bank, exams, attempts and certificates."""
