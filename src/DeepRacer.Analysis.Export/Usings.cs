global using DeepRacer.Analysis.Tables;
