import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../src/privacy/mask.js';

// [what a person typed, what may be published]
const MASKED: [string, string][] = [
  // phones, the formats people type
  ['llamar al +56 9 1111 2222', 'llamar al [teléfono]'],
  ['fono +56 9 87 65 43 31', 'fono [teléfono]'],
  ['fono +56 987 654 336', 'fono [teléfono]'],
  ['fijo 22 123 4568', 'fijo [teléfono]'],
  ['cel 9 8765 4321', 'cel [teléfono]'],
  ['cel 987654321', 'cel [teléfono]'],
  ['wsp +56912345678', 'wsp [teléfono]'],
  ['whatsapp 56 9 1234 5678', 'whatsapp [teléfono]'],
  ['marcar 0056 9 1234 5678', 'marcar [teléfono]'],
  ['tel +56-9-1234-5678', 'tel [teléfono]'],
  ['tel 9.8765.4321', 'tel [teléfono]'],
  ['oficina (2) 2123 4567', 'oficina [teléfono]'],
  ['oficina (22) 123 4567', 'oficina [teléfono]'],
  ['mi tía en Argentina: +54 11 4321 8765', 'mi tía en Argentina: [teléfono]'],
  ['Temuco 45 212 3456', 'Temuco [teléfono]'],
  // RUT in every grouping
  ['mi RUT es 12.345.678-5', 'mi RUT es [RUT]'],
  ['RUT 12345678-5', 'RUT [RUT]'],
  ['rut 12.345.682 - 5', 'rut [RUT]'],
  ['rut 12 345 683-5', 'rut [RUT]'],
  ['rut 12,345,684-5', 'rut [RUT]'],
  ['rut 9.876.543-K', 'rut [RUT]'],
  ['rut 7.654.321-k', 'rut [RUT]'],
  ['rut 123456785', 'rut [RUT]'],
  ['rut 12.345.678‐5', 'rut [RUT]'],
  // emails, plain and spelled out
  ['escríbanme a juana.soto@correo.cl', 'escríbanme a [correo]'],
  ['correo: Pedro_Perez+cabildo@municipio.gob.cl.', 'correo: [correo].'],
  ['maria.obf (arroba) gmail.com', '[correo]'],
  ['maria [arroba] gmail punto com', '[correo]'],
  ['maria arroba gmail.com', '[correo]'],
  ['juan (at) hotmail (punto) cl', '[correo]'],
  ['pedro @ yahoo.es', '[correo]'],
  ['josé.núñez@correo.cl', '[correo]'],
  // names after the cues people use
  ['me llamo Juan Pérez y vivo cerca', 'me llamo [nombre] y vivo cerca'],
  ['Mi nombre es Ana María González.', 'Mi nombre es [nombre].'],
  ['Hola, soy Pedro Soto, dirigente', 'Hola, soy [nombre], dirigente'],
  ['Sra. María José Soto pidió esto', 'Sra. [nombre] pidió esto'],
  ['Sr. Pérez', 'Sr. [nombre]'],
  ['Estimada María José Soto: la revisaremos.', 'Estimada [nombre]: la revisaremos.'],
  ['Estimado Don Luis', 'Estimado [nombre]'],
  ['doña Rosa del Carmen Muñoz lo sabe', 'doña [nombre] lo sabe'],
  ['Luminarias: llamar a Juana', 'Luminarias: llamar a [nombre]'],
  ['contactar a Luis Felipe de la Fuente', 'contactar a [nombre]'],
  ['pregunten por Ximena', 'pregunten por [nombre]'],
  ['Atentamente, Carolina Rojas', 'Atentamente, [nombre]'],
  ['Srta. Camila Díaz', 'Srta. [nombre]'],
  ['señora Olga', 'señora [nombre]'],
  // addresses
  ['en pasaje Los Aromos 1234 no hay luz', 'en [dirección] no hay luz'],
  ['vivo en Los Aromos 1234', '[dirección]'],
  ['Av. Grecia #2040, depto 31', '[dirección]'],
  ['calle Santa Rosa N° 560', '[dirección]'],
  ['Avenida Libertador Bernardo O’Higgins 1449', '[dirección]'],
  ['psje. Las Rosas 45', '[dirección]'],
  ['mi casa está en Villa Los Héroes 3321', '[dirección]'],
  // accounts, cards, plates
  ['depositar en cuenta corriente 00-123-45678-09', 'depositar en cuenta corriente [cuenta]'],
  ['cuenta RUT 12345678', 'cuenta RUT [cuenta]'],
  ['cta cte N° 9876543210', 'cta cte N° [cuenta]'],
  ['tarjeta 4111 1111 1111 1111', 'tarjeta [tarjeta]'],
  ['auto patente BBCL-12 mal estacionado', 'auto patente [patente] mal estacionado'],
  ['el auto FJ·KL·23 siempre', 'el auto [patente] siempre'],
  ['camión AB-1234 bota basura', 'camión [patente] bota basura'],
  ['patente hzkt45', 'patente [patente]'],
];

// Text that looks numeric or name-like and must be published as written.
const KEPT = [
  'Plan de Acción 2023-2027',
  'mi propuesta GA-2027-000123 sigue en revisión',
  'GA-2026-000034',
  'cuesta $ 1.500.000 al año',
  'unos $15.000.000 en 2025',
  'la reunión es el 12/03/2026 a las 18:30',
  'el 12-03-2026 a las 18:30 hrs',
  'según la Ley 20.285 y la Ley 21.719',
  'Chile entró a OGP en 2011',
  'hay 346 comunas',
  'el 75% de los vecinos',
  'somos 1.200 familias',
  'Soy de Peñalolén y soy vecina del sector',
  'la avenida principal está oscura',
  'ODS 2030',
  'Región de Los Ríos',
  'la Mesa de Gobierno Abierto decide',
  '5° Plan de Acción',
  'entre 2020 y 2022',
  'decreto 1.234',
  'casi 30.000 personas',
  'de 8:00 a 20:00',
  'km 12,5 de la ruta 68',
  'OGP Local desde 2016',
  'proyecto de 1200 m2',
];

describe('maskPersonalData', () => {
  it.each(MASKED)('masks %j', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each(KEPT)('keeps %j', (input) => {
    expect(maskPersonalData(input)).toBe(input);
  });
});
