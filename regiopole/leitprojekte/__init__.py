"""Module 4, lead projects (Leitprojekte): candidates, online poll, Nutzwertanalyse, rank
stability, final selection and one-page project sheets (notebook ``05_leitprojekte``)."""
